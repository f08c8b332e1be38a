package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vnetd.client.DaemonUnreachableException;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallFinding;

/**
 * The firewall checks made by the daemon ({@code firewall.diagnose}), which sees its own ruleset and its plans:
 * another table's forward policy drop (Docker), foreign rules dropping our bridges' DHCP/DNS or forwarded traffic,
 * and vnetd's chains drifted from the plan. Each daemon finding becomes a doctor finding: its message splits at the
 * first ": " into what was found and why it matters, its hint is the fix.
 */
public final class DaemonFirewallDiagnostics implements FirewallDiagnostics {
    /** Checked locally by {@link IpForwardCheck} and {@link BrNetfilterCheck}: not reported twice. */
    static final Set<String> LOCAL = Set.of("ip_forward", "br_netfilter");

    private final VnetdApi api;

    public DaemonFirewallDiagnostics(VnetdApi api) {
        this.api = api;
    }

    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<FirewallFinding> daemon;
        try {
            daemon = api.firewallDiagnose();
        } catch (DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            return List.of(Finding.info("firewall", "the daemon's firewall checks are not available",
                    "vnetd answered firewall.diagnose with: " + e.getMessage()));
        }
        List<Finding> out = new ArrayList<>();
        for (FirewallFinding f : daemon) {
            if (!LOCAL.contains(f.check())) {
                out.add(convert(f));
            }
        }
        if (out.isEmpty()) {
            out.add(Finding.ok("firewall", "no other table drops the networks' traffic and vnetd's rules match the plan"));
        }
        return out;
    }

    static Finding convert(FirewallFinding f) {
        Severity severity = f.severity() == FirewallFinding.Severity.ERROR ? Severity.FAIL : Severity.WARN;
        String message = f.message();
        int colon = message.indexOf(": ");
        if (colon > 0) {
            return new Finding(f.check(), severity, message.substring(0, colon), message.substring(colon + 2), f.hint());
        }
        return new Finding(f.check(), severity, message,
                "the host firewall no longer matches what vnetd applied: guests may lose NAT, forwarding, DHCP or DNS",
                f.hint());
    }
}
