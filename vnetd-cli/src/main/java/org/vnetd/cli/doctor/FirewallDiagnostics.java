package org.vnetd.cli.doctor;

import java.util.List;

/**
 * The firewall checks doctor cannot make from local reads: another table's FORWARD policy drop (Docker), rules
 * dropping our bridges' DHCP/DNS, and drift of the daemon's rules from its plan. {@link DaemonFirewallDiagnostics}
 * asks the daemon ({@code firewall.diagnose}); {@link #PENDING} stands in where no daemon is asked (tests of the
 * local checks).
 */
public interface FirewallDiagnostics extends Check {
    FirewallDiagnostics PENDING = (host, networks) -> List.of(Finding.info("firewall",
            "firewall checks (FORWARD policy drop in other tables, drift of vnetd's rules from the plan) not run",
            "they come from the daemon's firewall diagnostics"));
}
