package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.dnsmasq.DnsmasqOptions;
import org.vnetd.core.ovs.VirtualPorts;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.VirtualPortDef;

/**
 * The parts of libvirt's network grammar vnetd parses and writes back but does not apply yet. A network
 * using any of them is refused at define (and at a change of its definition), at start, at create and at a
 * takeover from libvirt: a network that reports active without doing what its XML says is worse than one
 * that refuses, and one refused only at start would be accepted first and fail later, far from the cause.
 * A definition stored by an earlier vnetd is still loaded as it is (nothing stored is lost) and refused at
 * start.
 */
public final class UnappliedElements {
    /** One element of a definition that vnetd does not apply, and why starting without it would mislead. */
    public record Refusal(String element, String why) {
        String describe() {
            return element + " (" + why + ")";
        }
    }

    private UnappliedElements() {
    }

    /** Everything in {@code def} that vnetd would leave undone, in document order; empty when it applies all of it. */
    public static List<Refusal> of(NetworkDef def) {
        List<Refusal> out = new ArrayList<>();
        ForwardMode mode = def.forwardMode();
        BridgeDef b = def.getBridge();
        boolean ovsNetwork = def.getVirtualPort() != null && VirtualPorts.OPENVSWITCH.equals(def.getVirtualPort().getType());
        if (b != null && "libvirt".equals(b.getMacTableManager()) && ovsNetwork) {
            out.add(new Refusal("<bridge macTableManager='libvirt'>",
                    "vnetd programs the FDB of Linux bridges, and this network's ports are on an Open vSwitch bridge"));
        }
        boolean ovsBridge = mode == ForwardMode.BRIDGE && def.bridgeName().isPresent();
        String netType = def.getVirtualPort() == null ? null : def.getVirtualPort().getType();
        if (def.getDomain() != null && "yes".equals(def.getDomain().getRegister())) {
            out.add(new Refusal("<domain register='yes'>",
                    "vnetd does not register the network's DNS domain with systemd-resolved"));
        }
        virtualPort(def.getVirtualPort(), null, ovsBridge, "").ifPresent(out::add);
        for (PortGroupDef pg : def.getPortGroups()) {
            virtualPort(pg.getVirtualPort(), netType, ovsBridge, " of <portgroup name='" + pg.getName() + "'>").ifPresent(out::add);
        }
        if (def.getDnsmasqOptions() != null) {
            List<String> values = def.getDnsmasqOptions().getOptions().stream().map(DnsmasqOptionDef::getValue).toList();
            for (DnsmasqOptions.Refused r : DnsmasqOptions.refused(values)) {
                out.add(new Refusal("<dnsmasq:option value='" + r.value() + "'>", r.why()));
            }
        }
        out.addAll(OvnUnappliedElements.of(def));
        return out;
    }

    /** Refuses {@code def} naming every element it does not apply; does nothing when it applies all of it. */
    public static void check(NetworkDef def) {
        check(def, "so it is not started");
    }

    /** Refuses a definition ({@code net-define}) naming every element it does not apply. */
    public static void checkDefine(NetworkDef def) {
        check(def, "so it is not defined");
    }

    /**
     * Refuses a change of a stored definition ({@code net-update --config}) that adds what vnetd does not apply;
     * what an earlier vnetd already stored does not stand in the way of other changes.
     */
    public static void checkConfigChange(NetworkDef before, NetworkDef after) {
        List<Refusal> had = before == null ? List.of() : of(before);
        List<Refusal> added = of(after).stream().filter(r -> !had.contains(r)).toList();
        refuse(after, "so the definition is not changed", added);
    }

    /**
     * Refuses a running network's changed definition (a live {@code net-update}, e.g. a portgroup with a
     * {@code <virtualport>}) naming what vnetd would not apply; the running network stays as it was.
     */
    public static void checkLiveChange(NetworkDef changed) {
        check(changed, "so the running network is not changed");
    }

    private static void check(NetworkDef def, String consequence) {
        refuse(def, consequence, of(def));
    }

    private static void refuse(NetworkDef def, String consequence, List<Refusal> refusals) {
        if (!refusals.isEmpty()) {
            // libvirt words what it cannot do with a valid configuration "unsupported configuration: …" (VIR_ERR_CONFIG_UNSUPPORTED)
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "unsupported configuration: network '%s' uses what vnetd does not apply yet, %s: %s",
                    def.name(), consequence, refusals.stream().map(Refusal::describe).collect(Collectors.joining("; ")));
        }
    }

    /**
     * An Open vSwitch port profile is applied on a {@code <forward mode='bridge'>} network with a bridge name
     * (its ports are added to that OVS bridge); a portgroup's profile without a type takes the network's.
     */
    private static Optional<Refusal> virtualPort(VirtualPortDef vp, String inheritedType, boolean ovsBridge, String where) {
        if (vp == null) {
            return Optional.empty();
        }
        String effective = vp.getType() != null ? vp.getType() : inheritedType;
        if (VirtualPorts.OPENVSWITCH.equals(effective) && ovsBridge) {
            return Optional.empty();
        }
        String type = vp.getType() == null ? "" : " type='" + vp.getType() + "'";
        String why = VirtualPorts.OPENVSWITCH.equals(effective)
                ? "vnetd adds ports to an Open vSwitch bridge only on a <forward mode='bridge'> network with a <bridge name>"
                : "vnetd does not set up 802.1Qbg/802.1Qbh virtual port profiles";
        return Optional.of(new Refusal("<virtualport" + type + ">" + where, why));
    }
}
