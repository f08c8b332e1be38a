package org.vnetd.cli.doctor;

import java.util.List;
import java.util.Optional;

/**
 * br_netfilter makes bridged frames traverse iptables' FORWARD chain; with Docker's FORWARD policy DROP,
 * guests on the same bridge stop talking to each other and to DHCP.
 */
public final class BrNetfilterCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        Optional<String> v4 = host.sysctl("net/bridge/bridge-nf-call-iptables");
        if (v4.isEmpty()) {
            return List.of(Finding.ok("br_netfilter", "br_netfilter is not loaded"));
        }
        if (v4.get().equals("0")) {
            return List.of(Finding.ok("br_netfilter", "br_netfilter is loaded but does not send bridged frames"
                    + " through iptables"));
        }
        return List.of(new Finding("br_netfilter", Severity.WARN,
                "br_netfilter sends bridged frames through iptables (net.bridge.bridge-nf-call-iptables = 1)",
                "traffic between guests on one bridge, including their DHCP, is filtered by the host's FORWARD"
                        + " chain; a FORWARD policy of DROP (Docker sets one) silently cuts it",
                "sysctl -w net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0"
                        + " (or unload br_netfilter if nothing else needs it)"));
    }
}
