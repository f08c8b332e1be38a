package org.vnetd.core.firewall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vnetd.core.net.IpPrefix;

/**
 * Computes a network's firewall rules with libvirt's semantics (src/network/network_nftables.c and
 * network_iptables.c): the same matches and verdicts, in the same order of evaluation.
 *
 * <p>libvirt builds its rules as a sequence of "insert at the head of chain X" commands; the planner
 * produces that same sequence ({@link #insertionOrder}) and then reverses it per phase, because a
 * rule inserted later is evaluated earlier. Backends then only append, which makes each network's
 * chains reproducible and re-applying them idempotent.
 */
public final class FirewallPlanner {
    private static final IpPrefix LOCAL_BROADCAST = IpPrefix.parse("255.255.255.255/32");
    private static final IpPrefix LOCAL_MULTICAST_V4 = IpPrefix.parse("224.0.0.0/24");
    private static final IpPrefix LOCAL_MULTICAST_V6 = IpPrefix.parse("ff02::/16");
    /** Where the host's own packets to its addresses come in. */
    static final String LOOPBACK = "lo";
    private static final Match.ConnState RELATED_ESTABLISHED = new Match.ConnState(Set.of("related", "established"));

    public FirewallPlan plan(FirewallNetwork net) {
        List<FirewallRule> inserted = insertionOrder(net);
        List<FirewallRule> evaluation = new ArrayList<>(inserted.reversed());
        evaluation.addAll(hostGuard(net));
        // stable sort: keeps the reversed (evaluation) order inside each phase
        evaluation.sort(Comparator.comparing(FirewallRule::phase));
        return new FirewallPlan(net.name(), net.bridge(), evaluation);
    }

    /** The rules in the order libvirt inserts them (each at the head of its chain). */
    List<FirewallRule> insertionOrder(FirewallNetwork net) {
        List<FirewallRule> out = new ArrayList<>();
        if (net.mode() == ForwardMode.OPEN) {
            return out; // libvirt: "No firewall rules to add for mode='open'"
        }
        generalIpv4(net, out);
        generalIpv6(net, out);
        for (FirewallIp ip : net.ips()) {
            ipSpecific(net, ip, out);
        }
        // the DHCP reply checksum fix, only where the host serves DHCPv4
        if (net.ips(Family.IPV4).stream().anyMatch(FirewallIp::dhcp)) {
            out.add(FirewallRule.of(Family.IPV4, Phase.MANGLE, new Verdict.ChecksumFill(),
                    new Match.OutInterface(net.bridge()), new Match.DestinationPort("udp", 68)));
        }
        return out;
    }

    /**
     * vnetd's own rules, in evaluation order (libvirt has none: it relies on dnsmasq's interface
     * binding): DNS, DHCP and TFTP addressed to one of the network's addresses are dropped unless they
     * come in through its bridge, or from the host itself (lo), as the services themselves answer only
     * those. Only for services the network runs; none for mode='open', whose firewall is the user's.
     */
    static List<FirewallRule> hostGuard(FirewallNetwork net) {
        List<FirewallRule> out = new ArrayList<>();
        if (net.mode() == ForwardMode.OPEN) {
            return out;
        }
        for (Family f : Family.values()) {
            List<FirewallRule> drops = new ArrayList<>();
            for (FirewallIp ip : net.ips(f)) {
                Match.Destination self = new Match.Destination(new IpPrefix(ip.address().address(),
                        IpPrefix.maxLength(ip.address().address())), false);
                List<Match.DestinationPort> ports = new ArrayList<>();
                if (net.dnsEnabled()) {
                    ports.add(new Match.DestinationPort("udp", 53));
                    ports.add(new Match.DestinationPort("tcp", 53));
                }
                if (f == Family.IPV4 && ip.dhcp()) {
                    ports.add(new Match.DestinationPort("udp", 67));
                }
                if (f == Family.IPV4 && ip.tftp()) {
                    ports.add(new Match.DestinationPort("udp", 69));
                }
                for (Match.DestinationPort port : ports) {
                    drops.add(FirewallRule.of(f, Phase.HOST_GUARD, new Verdict.Drop(), self, port));
                }
            }
            if (!drops.isEmpty()) {
                out.add(FirewallRule.of(f, Phase.HOST_GUARD, new Verdict.Return(), new Match.InInterface(net.bridge())));
                out.add(FirewallRule.of(f, Phase.HOST_GUARD, new Verdict.Return(), new Match.InInterface(LOOPBACK)));
                out.addAll(drops);
            }
        }
        return out;
    }

    private static void generalIpv4(FirewallNetwork net, List<FirewallRule> out) {
        String br = net.bridge();
        // libvirt opens DHCP and DNS to the host always; TFTP only where configured
        hostPort(out, Family.IPV4, Phase.HOST_IN, br, "tcp", 67);
        hostPort(out, Family.IPV4, Phase.HOST_IN, br, "udp", 67);
        hostPort(out, Family.IPV4, Phase.HOST_OUT, br, "tcp", 68);
        hostPort(out, Family.IPV4, Phase.HOST_OUT, br, "udp", 68);
        if (net.dnsEnabled()) {
            dnsPorts(out, Family.IPV4, br);
        }
        Optional<FirewallIp> served = net.ips(Family.IPV4).stream().filter(ip -> ip.dhcp() || ip.tftp()).findFirst();
        if (served.isPresent() && served.get().tftp()) {
            hostPort(out, Family.IPV4, Phase.HOST_IN, br, "udp", 69);
            hostPort(out, Family.IPV4, Phase.HOST_OUT, br, "udp", 69);
        }
        bridgeCatchAll(out, Family.IPV4, br);
    }

    private static void generalIpv6(FirewallNetwork net, List<FirewallRule> out) {
        boolean hasIpv6 = !net.ips(Family.IPV6).isEmpty();
        if (!hasIpv6 && !net.guestIpv6()) {
            return;
        }
        String br = net.bridge();
        bridgeCatchAll(out, Family.IPV6, br);
        if (hasIpv6) {
            if (net.dnsEnabled()) {
                dnsPorts(out, Family.IPV6, br);
            }
            hostPort(out, Family.IPV6, Phase.HOST_IN, br, "udp", 547);
            hostPort(out, Family.IPV6, Phase.HOST_OUT, br, "udp", 546);
        }
    }

    private static void dnsPorts(List<FirewallRule> out, Family family, String br) {
        hostPort(out, family, Phase.HOST_IN, br, "tcp", 53);
        hostPort(out, family, Phase.HOST_IN, br, "udp", 53);
        hostPort(out, family, Phase.HOST_OUT, br, "tcp", 53);
        hostPort(out, family, Phase.HOST_OUT, br, "udp", 53);
    }

    private static void hostPort(List<FirewallRule> out, Family family, Phase phase, String br, String proto, int port) {
        Match iface = phase == Phase.HOST_IN ? new Match.InInterface(br) : new Match.OutInterface(br);
        out.add(FirewallRule.of(family, phase, new Verdict.Accept(), iface, new Match.DestinationPort(proto, port)));
    }

    /** Reject whatever else is forwarded from or to the bridge; allow guest to guest. */
    private static void bridgeCatchAll(List<FirewallRule> out, Family family, String br) {
        out.add(FirewallRule.of(family, Phase.GUEST_OUT, new Verdict.Reject(), new Match.InInterface(br)));
        out.add(FirewallRule.of(family, Phase.GUEST_IN, new Verdict.Reject(), new Match.OutInterface(br)));
        out.add(FirewallRule.of(family, Phase.CROSS, new Verdict.Accept(),
                new Match.InInterface(br), new Match.OutInterface(br)));
    }

    private static void ipSpecific(FirewallNetwork net, FirewallIp ip, List<FirewallRule> out) {
        // IPv6 has no NAT unless <nat ipv6='yes'/>: in a NAT network it is routed instead
        if (net.mode() == ForwardMode.NAT) {
            if (ip.family() == Family.IPV4 || net.natIpv6()) {
                masquerading(net, ip, out);
            } else {
                routing(net, ip, out);
            }
        } else if (net.mode() == ForwardMode.ROUTE) {
            routing(net, ip, out);
        }
    }

    private static void masquerading(FirewallNetwork net, FirewallIp ip, List<FirewallRule> out) {
        Family f = ip.family();
        IpPrefix subnet = ip.subnet();
        Optional<String> dev = net.forwardDev();
        allowOut(net, ip, out);
        List<Match> in = new ArrayList<>();
        dev.ifPresent(d -> in.add(new Match.InInterface(d)));
        in.add(new Match.OutInterface(net.bridge()));
        in.add(new Match.Destination(subnet, false));
        in.add(RELATED_ESTABLISHED);
        out.add(new FirewallRule(f, Phase.GUEST_IN, in, new Verdict.Accept()));

        // inserted in reverse: evaluated as multicast, broadcast, tcp, udp, any
        PortRange ports = net.natPorts().orElse(PortRange.UNPRIVILEGED);
        out.add(natRule(net, ip, null, null));
        out.add(natRule(net, ip, "udp", ports));
        out.add(natRule(net, ip, "tcp", ports));
        if (f == Family.IPV4) {
            out.add(dontMasquerade(net, ip, LOCAL_BROADCAST));
        }
        out.add(dontMasquerade(net, ip, f == Family.IPV4 ? LOCAL_MULTICAST_V4 : LOCAL_MULTICAST_V6));
    }

    private static FirewallRule natRule(FirewallNetwork net, FirewallIp ip, String proto, PortRange ports) {
        List<Match> m = new ArrayList<>();
        if (proto != null) {
            m.add(new Match.Protocol(proto));
        }
        m.add(new Match.Source(ip.subnet()));
        m.add(new Match.Destination(ip.subnet(), true));
        net.forwardDev().ifPresent(d -> m.add(new Match.OutInterface(d)));
        Optional<PortRange> p = Optional.ofNullable(ports);
        Optional<NatAddressRange> addr = net.natAddresses().filter(a -> a.family() == ip.family());
        Verdict v = addr.<Verdict>map(a -> new Verdict.Snat(a.start(), a.end(), p))
                .orElseGet(() -> new Verdict.Masquerade(p));
        return new FirewallRule(ip.family(), Phase.NAT, m, v);
    }

    private static FirewallRule dontMasquerade(FirewallNetwork net, FirewallIp ip, IpPrefix destination) {
        List<Match> m = new ArrayList<>();
        net.forwardDev().ifPresent(d -> m.add(new Match.OutInterface(d)));
        m.add(new Match.Source(ip.subnet()));
        m.add(new Match.Destination(destination, false));
        return new FirewallRule(ip.family(), Phase.NAT, m, new Verdict.Return());
    }

    private static void routing(FirewallNetwork net, FirewallIp ip, List<FirewallRule> out) {
        allowOut(net, ip, out);
        List<Match> in = new ArrayList<>();
        in.add(new Match.Destination(ip.subnet(), false));
        net.forwardDev().ifPresent(d -> in.add(new Match.InInterface(d)));
        in.add(new Match.OutInterface(net.bridge()));
        out.add(new FirewallRule(ip.family(), Phase.GUEST_IN, in, new Verdict.Accept()));
    }

    private static void allowOut(FirewallNetwork net, FirewallIp ip, List<FirewallRule> out) {
        List<Match> m = new ArrayList<>();
        m.add(new Match.Source(ip.subnet()));
        m.add(new Match.InInterface(net.bridge()));
        net.forwardDev().ifPresent(d -> m.add(new Match.OutInterface(d)));
        out.add(new FirewallRule(ip.family(), Phase.GUEST_OUT, m, new Verdict.Accept()));
    }
}
