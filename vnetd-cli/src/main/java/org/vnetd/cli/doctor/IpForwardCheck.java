package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;

/** Routed and NAT networks need the kernel to forward packets; a new namespace or a hardened host has it off. */
public final class IpForwardCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<Finding> out = new ArrayList<>();
        List<String> v4 = networks.stream().filter(NetworkFacts::forwards)
                .filter(n -> n.subnets().stream().anyMatch(p -> p.isIpv4())).map(NetworkFacts::name).toList();
        List<String> v6 = networks.stream().filter(NetworkFacts::forwards)
                .filter(n -> n.subnets().stream().anyMatch(p -> !p.isIpv4())).map(NetworkFacts::name).toList();
        String v4State = host.sysctl("net/ipv4/ip_forward").orElse("?");
        if (v4State.equals("0")) {
            out.add(new Finding("ip_forward", v4.isEmpty() ? Severity.INFO : Severity.FAIL,
                    "IPv4 forwarding is off (net.ipv4.ip_forward = 0)",
                    v4.isEmpty() ? "no forwarding network is defined, so nothing depends on it yet"
                            : "guests of " + String.join(", ", v4) + " reach only the host: the kernel drops every"
                            + " packet they send beyond it",
                    "sysctl -w net.ipv4.ip_forward=1, and keep it with"
                            + " echo net.ipv4.ip_forward=1 > /etc/sysctl.d/60-vnetd.conf"));
        } else {
            out.add(Finding.ok("ip_forward", "IPv4 forwarding is on"));
        }
        if (!v6.isEmpty() && host.sysctl("net/ipv6/conf/all/forwarding").orElse("1").equals("0")) {
            out.add(new Finding("ip_forward", Severity.FAIL, "IPv6 forwarding is off (net.ipv6.conf.all.forwarding = 0)",
                    "IPv6 guests of " + String.join(", ", v6) + " cannot reach beyond the host",
                    "sysctl -w net.ipv6.conf.all.forwarding=1 (and persist it in /etc/sysctl.d/)"));
        }
        return out;
    }
}
