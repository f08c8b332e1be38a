package org.vnetd.core.ovs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.xml.model.VirtualPortDef;
import org.vnetd.core.xml.model.VirtualPortParametersDef;

/**
 * A port's {@code <virtualport>}, merged as libvirt's networkAllocatePort does (virNetDevVPortProfileMerge3):
 * the port's own first, then the network's, then its portgroup's; a lower one fills what is unset and
 * may not contradict what is set. For {@code type='openvswitch'} only {@code interfaceid} and {@code profileid}
 * take part, and a missing {@code interfaceid} is generated (virNetDevVPortProfileCheckComplete), so it is
 * kept in the port and is the same {@code iface-id} for its whole life.
 */
public final class VirtualPorts {
    public static final String OPENVSWITCH = "openvswitch";

    private VirtualPorts() {
    }

    /** {@code <virtualport>} of a network or portgroup as the port model's value (parameters in libvirt's order). */
    public static Optional<VirtualPort> of(VirtualPortDef def) {
        if (def == null) {
            return Optional.empty();
        }
        List<Map.Entry<String, String>> params = new ArrayList<>();
        VirtualPortParametersDef p = def.getParameters();
        if (p != null) {
            add(params, "managerid", p.getManagerid());
            add(params, "typeid", p.getTypeid());
            add(params, "typeidversion", p.getTypeidversion());
            add(params, "instanceid", p.getInstanceid());
            add(params, "interfaceid", p.getInterfaceid());
            add(params, "profileid", p.getProfileid());
        }
        return Optional.of(new VirtualPort(Optional.ofNullable(def.getType()), params));
    }

    /**
     * The merged profile of a port whose network is {@code network}; empty when none of the three says
     * anything. {@code newInterfaceId} gives the interfaceid of an openvswitch profile that has none.
     */
    public static Optional<VirtualPort> merge(String network, Optional<VirtualPort> port, Optional<VirtualPort> net,
            Optional<VirtualPort> portgroup, Supplier<UUID> newInterfaceId) {
        if (port.isEmpty() && net.isEmpty() && portgroup.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> type = Optional.empty();
        Map<String, String> params = new LinkedHashMap<>();
        for (Optional<VirtualPort> source : List.of(port, net, portgroup)) {
            if (source.isEmpty()) {
                continue;
            }
            VirtualPort vp = source.get();
            if (vp.type().isPresent()) {
                if (type.isPresent() && !type.get().equals(vp.type().get())) {
                    throw VnetException.of(ErrorCode.XML_VALIDATION,
                            "network '%s': attempt to merge virtualports with mismatched types (%s and %s)", network, type.get(),
                            vp.type().get());
                }
                type = vp.type();
            }
            for (Map.Entry<String, String> e : vp.parameters()) {
                String had = params.putIfAbsent(e.getKey(), e.getValue());
                if (had != null && !had.equalsIgnoreCase(e.getValue())) {
                    throw VnetException.of(ErrorCode.XML_VALIDATION,
                            "network '%s': attempt to merge virtualports with mismatched %ss ('%s' and '%s')", network, e.getKey(),
                            had, e.getValue());
                }
            }
        }
        if (type.isEmpty() || !OPENVSWITCH.equals(type.get())) {
            return Optional.of(new VirtualPort(type, List.copyOf(params.entrySet())));
        }
        List<Map.Entry<String, String>> ovs = new ArrayList<>();
        ovs.add(Map.entry("interfaceid", Optional.ofNullable(params.get("interfaceid"))
                .orElseGet(() -> newInterfaceId.get().toString())));
        add(ovs, "profileid", params.get("profileid"));
        return Optional.of(new VirtualPort(type, ovs));
    }

    /** Whether {@code vp} is an Open vSwitch port. */
    public static boolean isOpenvswitch(Optional<VirtualPort> vp) {
        return vp.flatMap(VirtualPort::type).filter(OPENVSWITCH::equals).isPresent();
    }

    /** One parameter's value ({@code interfaceid}, {@code profileid}, …). */
    public static Optional<String> parameter(VirtualPort vp, String name) {
        return vp.parameters().stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
    }

    private static void add(List<Map.Entry<String, String>> params, String name, String value) {
        if (value != null) {
            params.add(Map.entry(name, value));
        }
    }
}
