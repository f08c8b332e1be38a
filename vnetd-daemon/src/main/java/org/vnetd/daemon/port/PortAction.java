package org.vnetd.daemon.port;

import java.util.Optional;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.ovs.OvsPort;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * One kernel or service change of a port creation, applied in order by the plan {@link org.vnetd.core.plan.Executor}
 * through {@link PortEffects}, which undoes the applied ones in reverse when a later one fails.
 */
sealed interface PortAction {
    /**
     * The tap: persistent, or held open for the client to collect ({@code passFd}). A {@code spec} whose
     * name is a pattern gets the next free generated name.
     */
    record MakeTap(TapSpec spec, boolean named, boolean passFd, int queues) implements PortAction {
    }

    /**
     * A macvtap for the guest on a host interface of the network's pool, with the guest's MAC, up; its character
     * device held open for the client to collect ({@code passFd}) or left for the client to open by its ifindex.
     */
    record MakeMacvtap(String name, boolean named, String lower, String mode, MacAddress mac, boolean passFd, int queues,
            boolean vnetHdr) implements PortAction {
    }

    /** Into the bridge, with the tap's MAC and MTU, up. */
    record Plug(MacAddress mac, int mtu, LinkRef bridge) implements PortAction {
    }

    /**
     * Onto an Open vSwitch bridge ({@code <virtualport type='openvswitch'>}): the tap gets its MAC and MTU and
     * comes up, and {@code port} (named once the tap is) is added with libvirt's external-ids.
     */
    record OvsPlug(MacAddress mac, int mtu, OvsPort port) implements PortAction {
    }

    /**
     * The port's logical switch port in OVN ({@code <vnetd:ovn>} networks), named as its tap's {@code iface-id} on the
     * integration bridge, with the guest's MAC and {@code address} (else the network's reservation or dynamic).
     */
    record OvnPort(NetworkDef network, String name, MacAddress mac, Optional<String> address) implements PortAction {
    }

    /** The bridge port isolated from the network's other isolated ports. */
    record Isolate() implements PortAction {
    }

    /**
     * {@code <bridge macTableManager='libvirt'>}: the bridge filters VLANs (so the kernel need not keep its uplink
     * promiscuous), the port neither learns nor floods unknown unicast, and the guest's MAC is a static FDB entry
     * of the port (libvirt: networkStartHandleMACTableManagerMode, qemuInterfaceBridgeConnect and
     * qemuInterfaceStartDevice). {@code isolated} is kept with the other port flags.
     */
    record ManageMacTable(String bridge, MacAddress guestMac, boolean isolated) implements PortAction {
    }

    /** The port's rates on its tap (what libvirt's hypervisor driver does for a tap it makes). */
    record ShapeTap(Bandwidth bandwidth) implements PortAction {
    }

    /** A DHCP reservation of the guest's MAC on the network. */
    record Reserve(String network, DhcpConfig.StaticHost host) implements PortAction {
    }

    static String label(PortAction a) {
        return switch (a) {
            case MakeTap t -> "make tap " + t.spec().name();
            case MakeMacvtap m -> "make macvtap " + m.name() + " on " + m.lower() + " (mode " + m.mode() + ")";
            case Plug p -> "plug into " + p.bridge().name();
            case OvsPlug o -> "add to Open vSwitch bridge " + o.port().bridge();
            case OvnPort o -> "add logical switch port " + o.name() + " in OVN";
            case Isolate i -> "isolate";
            case ManageMacTable m -> "program " + m.guestMac() + " in the FDB of " + m.bridge();
            case ShapeTap s -> "shape tap";
            case Reserve r -> "reserve " + r.host().ip().getHostAddress() + " on " + r.network();
        };
    }
}
