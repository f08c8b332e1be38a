package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPv6 forwarding trap: a host that takes its IPv6 routes (its default route, its SLAAC address)
 * from router advertisements on an interface with {@code accept_ra = 1} loses them once forwarding is
 * on: the kernel drops the learned routes when forwarding goes on and ignores advertisements while it
 * is on, unless {@code accept_ra} is 2. libvirt refuses to start an IPv6 NAT or routed network in that
 * state; vnetd sets {@code accept_ra = 2} on such interfaces before it turns forwarding on.
 */
public final class Ipv6AcceptRaCheck implements Check {
    static final String ID = "ipv6_accept_ra";

    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        String forwarding = host.sysctl("net/ipv6/conf/all/forwarding").orElse("");
        if (forwarding.isEmpty()) {
            return List.of(); // no IPv6 in this kernel
        }
        Set<String> learning = raConfigured(host);
        List<String> trapped = new ArrayList<>();
        for (String dev : learning) {
            if (host.sysctl("net/ipv6/conf/" + dev + "/accept_ra").orElse("").equals("1")) {
                trapped.add(dev);
            }
        }
        if (trapped.isEmpty()) {
            return List.of(Finding.ok(ID, learning.isEmpty() ? "no interface takes its IPv6 routes from router advertisements"
                    : "interfaces that take IPv6 routes from router advertisements keep them with forwarding on"
                    + " (accept_ra = 2): " + String.join(", ", learning)));
        }
        String devs = String.join(", ", trapped);
        String fix = "sysctl -w " + trapped.stream().map(d -> "net.ipv6.conf." + d + ".accept_ra=2").reduce((a, b) -> a + " " + b)
                .orElseThrow() + " (and persist it in /etc/sysctl.d/)";
        if (forwarding.equals("1")) {
            return List.of(new Finding(ID, Severity.FAIL, "IPv6 forwarding is on and " + devs
                    + " takes its IPv6 configuration from router advertisements with accept_ra = 1",
                    "a forwarding host ignores router advertisements unless accept_ra is 2: the routes learned on "
                            + devs + " were dropped when forwarding went on and are not learned again, so the host"
                            + " loses IPv6 beyond its link (libvirt refuses to start an IPv6 NAT or routed network in"
                            + " this state; vnetd sets accept_ra = 2 first when it is the one turning forwarding on)",
                    fix + "; the next advertisement brings the routes back"));
        }
        List<String> v6 = networks.stream().filter(NetworkFacts::forwards)
                .filter(n -> n.subnets().stream().anyMatch(p -> !p.isIpv4())).map(NetworkFacts::name).toList();
        if (v6.isEmpty()) {
            return List.of(Finding.ok(ID, "IPv6 forwarding is off; " + devs + " may take routes from router advertisements"));
        }
        return List.of(Finding.info(ID, "starting " + String.join(", ", v6) + " turns IPv6 forwarding on; vnetd sets"
                + " accept_ra = 2 on " + devs + " first", devs + " takes IPv6 routes from router advertisements with"
                + " accept_ra = 1, which a forwarding host ignores; with 2 it keeps them"));
    }

    /** Interfaces with a route from an advertisement ({@code proto ra}) or an address formed from one ({@code dynamic}). */
    private static Set<String> raConfigured(HostProbe host) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, Object> r : IpJson.parse(host.ipJson("-6", "route", "show"))) {
            if (IpJson.text(r, "protocol").equals("ra") && !IpJson.text(r, "dev").isEmpty()) {
                out.add(IpJson.text(r, "dev"));
            }
        }
        for (Map<String, Object> link : IpJson.parse(host.ipJson("-6", "addr", "show", "scope", "global"))) {
            if (link.get("addr_info") instanceof List<?> addrs) {
                for (Object a : addrs) {
                    if (a instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("dynamic")) && link.get("ifname") != null) {
                        out.add(link.get("ifname").toString());
                    }
                }
            }
        }
        return out;
    }
}
