package org.vnetd.core.ovs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.port.Vlan;

/**
 * One guest interface on an Open vSwitch bridge, and the {@code ovs-vsctl} commands that add and remove it:
 * the same commands, in the same order, with the same external-ids as libvirt's virNetDevOpenvswitchAddPort
 * and virNetDevOpenvswitchRemovePort, so OVN, Neutron agents and scripts that read {@code iface-id},
 * {@code attached-mac}, {@code vm-id} and {@code iface-status} see a vnetd port as they see libvirt's.
 *
 * @param attachedMac the guest's MAC (not the tap's)
 * @param vmId        the port's owner (the VM's uuid)
 */
public record OvsPort(String bridge, String ifname, MacAddress attachedMac, UUID interfaceId, UUID vmId, Optional<String> profileId,
        Optional<Vlan> vlan) {
    /** libvirt's default (VIR_NETDEV_OVS_DEFAULT_TIMEOUT): ovs-vsctl gives up after that many seconds. */
    public static final int TIMEOUT_SECONDS = 5;
    public static final String VSCTL = "ovs-vsctl";

    public OvsPort {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(attachedMac, "attachedMac");
        Objects.requireNonNull(interfaceId, "interfaceId");
        Objects.requireNonNull(vmId, "vmId");
        Objects.requireNonNull(profileId, "profileId");
        Objects.requireNonNull(vlan, "vlan");
    }

    /**
     * The Open vSwitch port of {@code port} whose interface is {@code ifname}: empty unless its merged
     * {@code <virtualport>} is {@code type='openvswitch'} on a bridge plug.
     */
    public static Optional<OvsPort> of(PortDef port, String ifname) {
        if (!VirtualPorts.isOpenvswitch(port.virtualPort()) || port.bridge().isEmpty()) {
            return Optional.empty();
        }
        VirtualPort vp = port.virtualPort().get();
        UUID interfaceId = VirtualPorts.parameter(vp, "interfaceid").map(UUID::fromString)
                .orElseThrow(() -> new IllegalArgumentException("port " + port.uuid() + " has an openvswitch virtualport without interfaceid"));
        return Optional.of(new OvsPort(port.bridge().get(), ifname, port.mac(), interfaceId, port.ownerUuid(),
                VirtualPorts.parameter(vp, "profileid"), port.vlan()));
    }

    /** The same port on interface {@code name} (a port is planned before its tap has a name). */
    public OvsPort withIfname(String name) {
        return new OvsPort(bridge, name, attachedMac, interfaceId, vmId, profileId, vlan);
    }

    /** {@code ovs-vsctl --timeout=5 -- --may-exist add-port BR IF [vlan] -- set Interface IF external-ids:…} */
    public List<String> addCommand() {
        List<String> argv = new ArrayList<>(List.of(VSCTL, "--timeout=" + TIMEOUT_SECONDS, "--", "--may-exist", "add-port",
                bridge, ifname));
        vlan.ifPresent(v -> argv.addAll(vlanColumns(v)));
        List<String> ids = new ArrayList<>();
        ids.add("external-ids:attached-mac=\"" + attachedMac + "\"");
        ids.add("external-ids:iface-id=\"" + interfaceId + "\"");
        ids.add("external-ids:vm-id=\"" + vmId + "\"");
        profileId.filter(p -> !p.isEmpty()).ifPresent(p -> {
            ids.add("external-ids:port-profile=\"" + p + "\"");
            ids.add("external-ids:ifname=\"" + ifname + "\"");
        });
        ids.add("external-ids:iface-status=active");
        for (String id : ids) {
            argv.addAll(List.of("--", "set", "Interface", ifname, id));
        }
        return List.copyOf(argv);
    }

    /** {@code ovs-vsctl --timeout=5 -- --if-exists del-port IF}: a port already gone is not an error. */
    public static List<String> removeCommand(String ifname) {
        return List.of(VSCTL, "--timeout=" + TIMEOUT_SECONDS, "--", "--if-exists", "del-port", ifname);
    }

    /**
     * The Port columns of a {@code <vlan>} as libvirt words them: a tag with {@code nativeMode} makes the port
     * {@code vlan_mode=native-tagged|native-untagged} with that {@code tag}; a trunk lists every tag in
     * {@code trunk=}; otherwise the one tag is an access {@code tag=}.
     */
    static List<String> vlanColumns(Vlan v) {
        if (v.tags().isEmpty()) {
            return List.of();
        }
        List<String> cols = new ArrayList<>();
        for (Vlan.Tag t : v.tags()) {
            if (t.nativeMode().isPresent()) {
                cols.add("vlan_mode=native-" + t.nativeMode().get());
                cols.add("tag=" + t.id());
                break;
            }
        }
        boolean trunk = v.trunk().orElse(false) || v.tags().size() > 1;
        if (trunk) {
            cols.add("trunk=" + v.tags().stream().map(t -> Integer.toString(t.id())).collect(Collectors.joining(",")));
        } else {
            cols.add("tag=" + v.tags().get(0).id());
        }
        return cols;
    }
}
