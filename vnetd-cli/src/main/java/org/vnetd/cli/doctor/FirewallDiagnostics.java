package org.vnetd.cli.doctor;

import java.util.List;

/**
 * HOOK for the firewall checks doctor cannot make from local reads: another table's FORWARD policy drop
 * (Docker), rules dropping our bridges' DHCP/DNS, and drift of the daemon's rules from its plan. The firewall
 * part of vnetd will provide them (its diagnostics over the RPC); until then {@link #PENDING} says so.
 */
public interface FirewallDiagnostics extends Check {
    FirewallDiagnostics PENDING = (host, networks) -> List.of(Finding.info("firewall",
            "firewall checks (FORWARD policy drop in other tables, drift of vnetd's rules from the plan)"
                    + " are not available in this version",
            "they will come from the daemon's firewall diagnostics"));
}
