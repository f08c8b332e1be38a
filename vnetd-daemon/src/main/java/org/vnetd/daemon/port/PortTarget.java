package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.pool.VirtualFunctions;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.port.Vlan;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.VlanDef;
import org.vnetd.core.xml.model.VlanTagDef;

/**
 * Where a new port goes, derived from the running network's definition as libvirt's
 * networkAllocatePort does: the bridge ({@code type='network'} for networks vnetd runs a bridge for,
 * {@code type='bridge'} for {@code <forward mode='bridge'>} with a host bridge) or the device pool
 * ({@code type='direct'} for the macvtap modes, {@code type='hostdev-pci'} for hostdev; {@code bridge} is then
 * null), the MTU, the isolated default, the portgroup's bandwidth, and the portgroup's (or the network's) vlan.
 */
record PortTarget(String network, String networkUuid, String bridge, String plugType, Optional<Integer> mtu,
        boolean isolatedDefault, Optional<String> portgroup, Optional<Bandwidth> bandwidth, Optional<Vlan> vlan,
        Optional<Boolean> trustGuestRxFilters, Optional<ForwardPool> pool, Optional<VirtualPort> networkVirtualPort,
        Optional<VirtualPort> portgroupVirtualPort, Optional<String> macTableManager, boolean onOvn) {
    /** What an OVN network's ports are on the integration bridge: Open vSwitch ports (an interfaceid is generated). */
    static final VirtualPort OVN_VIRTUALPORT = new VirtualPort(Optional.of("openvswitch"), List.of());

    /** {@code <bridge macTableManager='libvirt'>}: the network, not the kernel, keeps its ports' MACs in the bridge's FDB. */
    boolean libvirtManagesMacTable() {
        return macTableManager.filter("libvirt"::equals).isPresent();
    }

    /** Whether a port's {@code <plug>} says the network keeps the bridge's MAC table. */
    static boolean libvirtManaged(Plug plug) {
        return switch (plug) {
            case Plug.Network n -> n.macTableManager().filter("libvirt"::equals).isPresent();
            case Plug.Bridge b -> b.macTableManager().filter("libvirt"::equals).isPresent();
            default -> false;
        };
    }

    /**
     * The port's {@code <virtualport>}: its own merged with the network's and its portgroup's (a generated
     * {@code interfaceid} for Open vSwitch), refused as libvirt's networkAllocatePort refuses a type the
     * network's ports cannot have (a pool's 802.1Qbg/Qbh profiles are refused before, at define and start).
     */
    Optional<VirtualPort> virtualPort(Optional<VirtualPort> own) {
        Optional<VirtualPort> vp = VirtualPorts.merge(network, own, networkVirtualPort, portgroupVirtualPort, UUID::randomUUID);
        if (vp.isEmpty()) {
            return vp;
        }
        String type = vp.get().type().orElse("none");
        String uses = switch (plugType) {
            case "network" -> "uses IP forwarding";
            case "bridge" -> VirtualPorts.isOpenvswitch(vp) ? null : "uses a bridge device";
            default -> "uses a device pool (vnetd does not set up 802.1Qbg/802.1Qbh profiles)";
        };
        if (uses != null) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "unsupported configuration: <virtualport type='%s'> not supported for network '%s' which %s", type, network, uses);
        }
        return vp;
    }

    static PortTarget of(NetworkDef def, Optional<String> wantedGroup, VirtualFunctions vfs, PortOvn ovn) {
        if (def.ovn().isPresent()) {
            return onOvn(def, wantedGroup, ovn);
        }
        ForwardMode mode = def.forwardMode();
        String plugType;
        Optional<ForwardPool> pool = Optional.empty();
        if (mode.hasBridge()) {
            plugType = "network";
        } else if (mode == ForwardMode.BRIDGE && def.bridgeName().isPresent()) {
            plugType = "bridge";
        } else {
            pool = Optional.of(ForwardPool.of(def, vfs));
            plugType = mode == ForwardMode.HOSTDEV ? "hostdev-pci" : "direct";
        }
        String bridge = pool.isPresent() ? null : def.bridgeName().orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "running network '%s' has no bridge name", def.name()));
        PortGroupDef group = null;
        if (wantedGroup.isPresent()) {
            for (PortGroupDef g : def.getPortGroups()) {
                if (wantedGroup.get().equals(g.getName())) {
                    group = g;
                }
            }
            if (group == null) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "network '%s' has no portgroup '%s'", def.name(), wantedGroup.get());
            }
        } else {
            for (PortGroupDef g : def.getPortGroups()) {
                if ("yes".equals(g.getIsDefault())) {
                    group = g;
                }
            }
        }
        // libvirt's networkAllocatePort: a port without bandwidth of its own takes its portgroup's; the network's
        // <bandwidth> is the whole network's, on its bridge, never a port's
        Optional<Bandwidth> bw = group == null ? Optional.empty() : Bandwidths.of(group.getBandwidth());
        VlanDef vlan = group != null && group.getVlan() != null ? group.getVlan() : def.getVlan();
        String trust = group != null && group.getTrustGuestRxFilters() != null ? group.getTrustGuestRxFilters() : def.getTrustGuestRxFilters();
        boolean isolated = def.getPort() != null && "yes".equals(def.getPort().getIsolated());
        return new PortTarget(def.name(), def.uuid().toString(), bridge, plugType, def.mtu(), isolated,
                Optional.ofNullable(group == null ? null : group.getName()), bw,
                Optional.ofNullable(vlan).map(PortTarget::vlan), Optional.ofNullable(trust).map("yes"::equals), pool,
                VirtualPorts.of(def.getVirtualPort()), group == null ? Optional.empty() : VirtualPorts.of(group.getVirtualPort()),
                Optional.ofNullable(def.getBridge()).map(b -> b.getMacTableManager()), false);
    }

    /**
     * A port of a network on OVN: an Open vSwitch port on this host's integration bridge whose interfaceid names its
     * logical switch port. The network has no bridge of its own; what OVN does not take from vnetd yet is refused.
     */
    private static PortTarget onOvn(NetworkDef def, Optional<String> wantedGroup, PortOvn ovn) {
        if (wantedGroup.isPresent() || !def.getPortGroups().isEmpty()) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "unsupported configuration: network '%s' is on OVN (<vnetd:ovn>), where vnetd does not apply portgroups", def.name());
        }
        return new PortTarget(def.name(), def.uuid().toString(), ovn.integrationBridge(), "bridge", def.mtu(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(OVN_VIRTUALPORT), Optional.empty(),
                Optional.empty(), true);
    }

    /**
     * The plug of a port on the network's bridge (not for a pool's ports: they get a device), with the network's
     * macTableManager as libvirt's networkAllocatePort gives it.
     */
    Plug bridgePlug() {
        return plugType.equals("bridge") ? new Plug.Bridge(bridge, macTableManager) : new Plug.Network(bridge, macTableManager);
    }

    private static Vlan vlan(VlanDef v) {
        List<Vlan.Tag> tags = new ArrayList<>();
        for (VlanTagDef t : v.getTags()) {
            tags.add(new Vlan.Tag(Integer.parseInt(t.getId()), Optional.ofNullable(t.getNativeMode())));
        }
        return new Vlan(Optional.ofNullable(v.getTrunk()).map("yes"::equals), tags);
    }
}
