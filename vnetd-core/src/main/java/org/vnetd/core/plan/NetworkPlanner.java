package org.vnetd.core.plan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.core.link.SysctlKey;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.qos.TcPlans;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.RouteDef;

/**
 * vnetd's start plan, in libvirt's order (networkStartNetworkVirtual): bridge → firewalld zone → firewall →
 * addresses → up → routes → forwarding → DNS → TFTP → DHCP → DHCPv6 → router advertisements → the
 * {@code <bandwidth>} of the bridge (virNetDevBandwidthSet, last as libvirt does it). Networks of the bridge and
 * passthrough modes use the host's devices: nothing of ours to create, only a host bridge's {@code <bandwidth>}.
 */
public final class NetworkPlanner implements Planner {
    private final FirewallPlanner firewall = new FirewallPlanner();

    @Override
    public Plan plan(NetworkDef def, ObservedState observed) {
        if (def.ovn().isPresent()) {
            return OvnPlan.of(def);
        }
        Collisions.check(def, observed);
        List<Action> actions = new ArrayList<>();
        if (!def.forwardMode().hasBridge()) {
            // libvirt's networkStartNetworkBridge: a host bridge gets the network's <bandwidth>, nothing else of ours
            if (def.forwardMode() == ForwardMode.BRIDGE && def.bridgeName().isPresent()) {
                tc(def, def.bridgeName().get(), actions);
            }
            return new Plan(def.name(), actions);
        }
        String bridge = def.bridgeName().orElseThrow();
        actions.add(bridge(def, bridge));
        firewalldZone(def, bridge).ifPresent(actions::add);
        actions.add(new Action.Firewall(firewall.plan(ServiceConfigs.firewall(def))));
        for (IpDef ip : def.ips()) {
            actions.add(new Action.AddAddress(bridge, ip.prefix()));
        }
        actions.add(new Action.LinkUp(bridge));
        for (RouteDef r : def.getRoutes()) {
            actions.add(route(r));
        }
        actions.add(sysctls(def, bridge));
        if (ServiceConfigs.dnsEnabled(def) && !def.ips().isEmpty()) {
            actions.add(new Action.StartDns(def.name(), bridge));
        }
        TftpConfig.of(def).ifPresent(cfg -> actions.add(new Action.StartTftp(def.name(), cfg.interfaceName())));
        ServiceConfigs.dhcp(def).ifPresent(cfg -> actions.add(new Action.StartDhcp(def.name(), cfg.interfaceName())));
        ServiceConfigs.dhcp6(def).ifPresent(cfg -> actions.add(new Action.StartDhcp6(def.name(), cfg.interfaceName())));
        ServiceConfigs.ra(def).ifPresent(cfg -> actions.add(new Action.StartRa(def.name(), cfg.interfaceName())));
        tc(def, bridge, actions);
        return new Plan(def.name(), actions);
    }

    /** libvirt sets a zone for every forward mode but {@code open}, where only {@code <bridge zone>} asks for one. */
    private static Optional<Action.FirewalldZone> firewalldZone(NetworkDef def, String bridge) {
        Optional<String> zone = Optional.ofNullable(def.getBridge()).map(BridgeDef::getZone);
        if (zone.isEmpty() && def.forwardMode() == ForwardMode.OPEN) {
            return Optional.empty();
        }
        return Optional.of(new Action.FirewalldZone(def.name(), bridge, zone, def.forwardMode() == ForwardMode.ROUTE));
    }

    /** virNetDevBandwidthSet of the network's {@code <bandwidth>} on its bridge, hierarchical (ports' floors get classes). */
    private static void tc(NetworkDef def, String bridge, List<Action> actions) {
        Bandwidths.of(def.getBandwidth()).ifPresent(bw -> TcPlans.set(bridge, bw, true).forEach(o -> actions.add(new Action.Tc(o))));
    }

    /** The {@link Action.Tc} actions of a running network's {@code <bandwidth>}, as {@link #plan} has them. */
    public static List<Action> bandwidth(NetworkDef live) {
        List<Action> actions = new ArrayList<>();
        if (live.forwardMode().hasBridge() || live.forwardMode() == ForwardMode.BRIDGE) {
            live.bridgeName().ifPresent(bridge -> tc(live, bridge, actions));
        }
        return actions;
    }

    private static Action.CreateBridge bridge(NetworkDef def, String name) {
        BridgeDef b = def.getBridge();
        boolean stp = b == null || b.getStp() == null || !"off".equals(b.getStp());
        long delay = b == null || b.getDelay() == null ? 0 : Long.parseLong(b.getDelay());
        OptionalInt mtu = def.mtu().isPresent() ? OptionalInt.of(def.mtu().get()) : OptionalInt.empty();
        return new Action.CreateBridge(name, stp, delay, def.macAddress(), mtu);
    }

    private static Action.AddRoute route(RouteDef r) {
        InetAddress dest = IpAddresses.parse(r.getAddress());
        int len;
        if (r.getPrefix() != null) {
            len = Integer.parseInt(r.getPrefix());
        } else if (r.getNetmask() != null) {
            len = Long.bitCount(IpAddresses.toInt((Inet4Address) IpAddresses.parse(r.getNetmask())) & 0xffffffffL);
        } else {
            len = IpPrefix.maxLength(dest);
        }
        OptionalInt metric = r.getMetric() == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(r.getMetric()));
        return new Action.AddRoute(new IpPrefix(dest, len).networkPrefix(), IpAddresses.parse(r.getGateway()), metric);
    }

    /**
     * As libvirt sets them: IP forwarding for NAT and routed networks, and on the bridge
     * {@code disable_ipv6=1} when the network has no IPv6 address (where the kernel has IPv6 at
     * all), {@code accept_ra=0} (guests' advertisements must not configure the host), {@code autoconf=0}
     * (a router forms no address from a prefix) and {@code disable_ipv6=0} when it has one.
     */
    private static Action.Sysctls sysctls(NetworkDef def, String bridge) {
        boolean routed = def.forwardMode() == ForwardMode.NAT || def.forwardMode() == ForwardMode.ROUTE;
        boolean v4 = def.ips().stream().anyMatch(IpDef::isIpv4);
        boolean v6 = def.ips().stream().anyMatch(ip -> !ip.isIpv4());
        List<Action.Sysctls.Setting> s = new ArrayList<>();
        if (routed && v4) {
            s.add(new Action.Sysctls.Setting(SysctlKey.parse("net.ipv4.ip_forward"), "1", false));
        }
        if (routed && v6) {
            s.add(new Action.Sysctls.Setting(SysctlKey.parse("net.ipv6.conf.all.forwarding"), "1", false));
        }
        if (v6) {
            s.add(new Action.Sysctls.Setting(SysctlKey.ofInterface("ipv6", bridge, "accept_ra"), "0", false));
            s.add(new Action.Sysctls.Setting(SysctlKey.ofInterface("ipv6", bridge, "autoconf"), "0", false));
            s.add(new Action.Sysctls.Setting(SysctlKey.ofInterface("ipv6", bridge, "disable_ipv6"), "0", false));
        } else {
            s.add(new Action.Sysctls.Setting(SysctlKey.ofInterface("ipv6", bridge, "disable_ipv6"), "1", true));
        }
        return new Action.Sysctls(bridge, s);
    }
}
