package org.vnetd.core.plan;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.Family;
import org.vnetd.core.firewall.Phase;
import org.vnetd.core.link.SysctlKey;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.qos.TcObject;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One thing a network start does to the system, as plain data: what to create, never how. The
 * daemon's executor runs each through its backend and records it; the recorded actions are
 * persisted as they are (the {@code kind} names below are part of the status file format, so
 * rename a record, never a kind), which lets any later daemon undo them exactly.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Action.CreateBridge.class, name = "create-bridge"),
        @JsonSubTypes.Type(value = Action.FirewalldZone.class, name = "firewalld-zone"),
        @JsonSubTypes.Type(value = Action.Firewall.class, name = "firewall"),
        @JsonSubTypes.Type(value = Action.AddAddress.class, name = "add-address"),
        @JsonSubTypes.Type(value = Action.LinkUp.class, name = "link-up"),
        @JsonSubTypes.Type(value = Action.AddRoute.class, name = "add-route"),
        @JsonSubTypes.Type(value = Action.Sysctls.class, name = "sysctls"),
        @JsonSubTypes.Type(value = Action.StartDns.class, name = "start-dns"),
        @JsonSubTypes.Type(value = Action.StartTftp.class, name = "start-tftp"),
        @JsonSubTypes.Type(value = Action.StartDhcp.class, name = "start-dhcp"),
        @JsonSubTypes.Type(value = Action.StartRa.class, name = "start-ra"),
        @JsonSubTypes.Type(value = Action.StartDhcp6.class, name = "start-dhcp6"),
        @JsonSubTypes.Type(value = Action.Tc.class, name = "tc"),
        @JsonSubTypes.Type(value = Action.Adopted.class, name = "adopted"),
        @JsonSubTypes.Type(value = Action.ReleaseFromLibvirt.class, name = "release-from-libvirt"),
        @JsonSubTypes.Type(value = Action.OvnSwitch.class, name = "ovn-switch")})
public sealed interface Action {
    /** One line of the plan's text form (golden files, logs). */
    String describe();

    /**
     * The network's bridge with its STP, forward delay, MAC and MTU: the kernel takes them all in
     * the one RTM_NEWLINK that creates it. Undo deletes it, and with it its addresses and device routes.
     */
    record CreateBridge(String bridge, boolean stp, long delaySeconds, Optional<String> mac, OptionalInt mtu) implements Action {
        public CreateBridge {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(mtu, "mtu");
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("create bridge ").append(bridge).append(" (stp ").append(stp ? "on" : "off")
                    .append(", delay ").append(delaySeconds).append(" s");
            mac.ifPresent(m -> sb.append(", mac ").append(m));
            mtu.ifPresent(m -> sb.append(", mtu ").append(m));
            return sb.append(')').toString();
        }
    }

    /**
     * The firewalld zone of the network's bridge, as libvirt sets it before its rules (networkAddFirewallRules):
     * the zone {@code <bridge zone>} names, which then needs firewalld running; otherwise, only when firewalld
     * runs, {@value #LIBVIRT_ZONE} ({@value #ROUTED_ZONE} for a routed network where firewalld has it and its
     * {@value #ROUTED_POLICY} policy). Out of such a zone firewalld's own table rejects what vnetd's accepts (an
     * accept in one nftables table does not override a reject in another). Undo takes the bridge out of the
     * zone again: firewalld keeps a deleted interface's name in a zone, and the next network of that bridge
     * name may want another.
     *
     * @param zone   the zone of {@code <bridge zone>}, if any
     * @param routed a {@code <forward mode='route'>} network
     */
    record FirewalldZone(String network, String bridge, Optional<String> zone, boolean routed) implements Action {
        public static final String LIBVIRT_ZONE = "libvirt";
        public static final String ROUTED_ZONE = "libvirt-routed";
        public static final String ROUTED_POLICY = "libvirt-routed-out";

        public FirewalldZone {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(zone, "zone");
        }

        /**
         * The zone to put the bridge in, given the zones and policies of the running firewalld; fails, as libvirt
         * does, when the zone a network needs is not there (the requested one is checked by firewalld itself).
         */
        public String zoneAmong(Set<String> zones, Set<String> policies) {
            if (zone.isPresent()) {
                return zone.get();
            }
            if (routed && zones.contains(ROUTED_ZONE) && policies.contains(ROUTED_POLICY)) {
                return ROUTED_ZONE;
            }
            if (zones.contains(LIBVIRT_ZONE)) {
                return LIBVIRT_ZONE;
            }
            throw VnetException.of(ErrorCode.FIREWALL, "firewalld runs but has no '%s' zone for network '%s' (bridge %s): "
                    + "without it firewalld's default zone rejects the guests' traffic; install the zone libvirt ships "
                    + "(libvirt.zone, in firewalld's zones directory) or name a zone with <bridge zone>", LIBVIRT_ZONE, network, bridge);
        }

        public String describe() {
            return zone.map(z -> "put " + bridge + " in firewalld zone " + z + " (firewalld must run)")
                    .orElse("put " + bridge + " in firewalld zone " + (routed ? ROUTED_ZONE + " (else " + LIBVIRT_ZONE + ")" : LIBVIRT_ZONE)
                            + " if firewalld runs");
        }
    }

    /** The network's firewall rules, applied as one transaction (the plan is what undo removes). */
    record Firewall(FirewallPlan plan) implements Action {
        public Firewall {
            Objects.requireNonNull(plan, "plan");
        }

        /** The rule counts per family and phase; the rules themselves are the firewall golden files' business. */
        public String describe() {
            StringJoiner families = new StringJoiner("; ");
            for (Family f : Family.values()) {
                StringJoiner phases = new StringJoiner(", ", f.nfproto() + ": ", "");
                for (Phase p : Phase.values()) {
                    long n = plan.rules().stream().filter(r -> r.family() == f && r.phase() == p).count();
                    if (n > 0) {
                        phases.add(p.nftSuffix() + " " + n);
                    }
                }
                if (plan.families().contains(f)) {
                    families.add(phases.toString());
                }
            }
            return "firewall " + plan.network() + " on " + plan.bridge() + ": " + plan.rules().size() + " rules (" + families + ")";
        }
    }

    /** One {@code <ip>} address on the bridge. */
    record AddAddress(String device, IpPrefix address) implements Action {
        public AddAddress {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(address, "address");
        }

        public String describe() {
            return "add address " + address + " to " + device;
        }
    }

    record LinkUp(String device) implements Action {
        public LinkUp {
            Objects.requireNonNull(device, "device");
        }

        public String describe() {
            return "set " + device + " up";
        }
    }

    /** A static {@code <route>} of the network, through a gateway. */
    record AddRoute(IpPrefix destination, InetAddress gateway, OptionalInt metric) implements Action {
        public AddRoute {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(metric, "metric");
        }

        public String describe() {
            return "add route " + destination + " via " + gateway.getHostAddress()
                    + (metric.isPresent() ? " metric " + metric.getAsInt() : "");
        }
    }

    /**
     * The tunables the network needs, written in order and never set back (forwarding may be
     * relied on by others; the bridge's own settings go with the bridge).
     */
    record Sysctls(String bridge, List<Setting> settings) implements Action {
        /** {@code onlyWherePresent}: skipped when the key's directory does not exist (a kernel without IPv6). */
        public record Setting(SysctlKey key, String value, boolean onlyWherePresent) {
            public Setting {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }
        }

        public Sysctls {
            Objects.requireNonNull(bridge, "bridge");
            settings = List.copyOf(settings);
        }

        public String describe() {
            StringJoiner j = new StringJoiner(", ", "sysctl ", "");
            for (Setting s : settings) {
                j.add(s.key() + "=" + s.value() + (s.onlyWherePresent() ? " (if present)" : ""));
            }
            return j.toString();
        }
    }

    /** The network's DNS service, on port 53 of its addresses. */
    record StartDns(String network, String bridge) implements Action {
        public StartDns {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
        }

        public String describe() {
            return "start dns of " + network + " on " + bridge;
        }
    }

    /** The TFTP service of {@code <tftp root>}, before DHCP: once a guest is told its next-server, that server answers. */
    record StartTftp(String network, String bridge) implements Action {
        public StartTftp {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
        }

        public String describe() {
            return "start tftp of " + network + " on " + bridge;
        }
    }

    /** The network's DHCPv4 server on its bridge (port 67). */
    record StartDhcp(String network, String bridge) implements Action {
        public StartDhcp {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
        }

        public String describe() {
            return "start dhcp of " + network + " on " + bridge;
        }
    }

    /**
     * The router advertisements of the network's IPv6 addresses on its bridge (ICMPv6); undo sends the
     * final advertisement with router lifetime 0. Last: the M flag sends guests to a DHCPv6 server that
     * must already answer.
     */
    record StartRa(String network, String bridge) implements Action {
        public StartRa {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
        }

        public String describe() {
            return "start router advertisements of " + network + " on " + bridge;
        }
    }

    /** The network's DHCPv6 server on its bridge (UDP 547, ff02::1:2), before the advertisements that send guests to it. */
    record StartDhcp6(String network, String bridge) implements Action {
        public StartDhcp6 {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
        }

        public String describe() {
            return "start dhcpv6 of " + network + " on " + bridge;
        }
    }

    /**
     * One traffic-control object of the network's {@code <bandwidth>} on its bridge ({@link org.vnetd.core.qos.TcPlans}),
     * written as the {@code tc} command libvirt runs for it. Undo removes it.
     */
    record Tc(TcObject object) implements Action {
        public Tc {
            Objects.requireNonNull(object, "object");
        }

        public String describe() {
            return object.describe();
        }
    }

    /**
     * A network bound to OVN ({@code <vnetd:ovn>}): this host creates or joins the network's logical
     * switch (and its DHCP, DNS and router rows) in the northbound database; undo removes this host's
     * ports and, on the last host, the shared rows (docs/ovn.md). Nothing on this host's kernel.
     */
    record OvnSwitch(String network, String logicalSwitch, String northbound) implements Action {
        public OvnSwitch {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(logicalSwitch, "logicalSwitch");
            Objects.requireNonNull(northbound, "northbound");
        }

        public String describe() {
            return "join ovn logical switch " + logicalSwitch + " of " + network + " at " + northbound;
        }
    }

    /**
     * What {@code action} would make is there already, made by someone else (libvirt's network driver, whose
     * running network vnetd takes over): applying it checks and repairs it as a restarted daemon's adoption
     * does, never re-creates it, so the guests' taps stay on the same bridge. Once applied it is vnetd's: a
     * later {@code net-destroy} undoes it as if vnetd had made it. A takeover that fails leaves it as it found it.
     */
    record Adopted(Action action) implements Action {
        public Adopted {
            Objects.requireNonNull(action, "action");
            if (action instanceof Adopted || action instanceof ReleaseFromLibvirt) {
                throw new IllegalArgumentException("cannot adopt: " + action.describe());
            }
        }

        public String describe() {
            return "adopt: " + action.describe();
        }
    }

    /**
     * libvirt's network driver lets go of a network vnetd takes over: its firewall rules for the bridge
     * and subnets go (iptables chains {@code LIBVIRT_*}, nftables table {@code libvirt_network}), its
     * dnsmasq (and radvd) for the network stop, and the leases of its {@code virbrN.status} become this
     * network's. After vnetd's own rules are in place and before vnetd's services start: forwarding never
     * stops, and port 53 and 67 are free when vnetd binds them. A takeover that fails after it rolls it back:
     * the network is given back to libvirt (its rules, its dnsmasq and radvd as libvirt ran them, its status
     * file). A network vnetd ran is not given back when it ends (net-destroy): undo does nothing.
     *
     * @param dnsmasqPid libvirt's dnsmasq for the network, as its pid file named it when the takeover was planned
     * @param radvdPid   libvirt's radvd for the network, likewise
     * @param leaseFile  libvirt's lease status file for the bridge, when it has one
     * @param statusFile libvirt's status file of the running network: moved aside (to {@code NAME.xml.vnetd}), so
     *                   a libvirtd started again does not take the network for one it runs and restart its dnsmasq
     */
    record ReleaseFromLibvirt(String network, String bridge, OptionalLong dnsmasqPid, OptionalLong radvdPid,
            Optional<String> leaseFile, Optional<String> statusFile) implements Action {
        public ReleaseFromLibvirt {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(dnsmasqPid, "dnsmasqPid");
            Objects.requireNonNull(radvdPid, "radvdPid");
            Objects.requireNonNull(leaseFile, "leaseFile");
            Objects.requireNonNull(statusFile, "statusFile");
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("release ").append(network).append(" on ").append(bridge)
                    .append(" from libvirt: remove its firewall rules");
            dnsmasqPid.ifPresent(p -> sb.append(", stop its dnsmasq (pid ").append(p).append(')'));
            radvdPid.ifPresent(p -> sb.append(", stop its radvd (pid ").append(p).append(')'));
            leaseFile.ifPresent(f -> sb.append(", import the leases of ").append(f));
            statusFile.ifPresent(f -> sb.append(", move its status ").append(f).append(" aside"));
            return sb.toString();
        }
    }
}
