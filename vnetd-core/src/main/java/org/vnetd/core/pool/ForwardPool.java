package org.vnetd.core.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PciAddressDef;

/**
 * The devices a network of the macvtap modes ({@code <forward mode='bridge|private|vepa|passthrough'>} without a
 * host bridge) or of {@code mode='hostdev'} hands to its ports, and how a port gets one, by the rules of libvirt's
 * networkAllocatePort and networkNotifyPort. Nothing is made at network start (libvirt makes nothing either): the
 * client of a port makes the macvtap or assigns the PCI device; vnetd's own port.create makes the macvtap.
 * Connection counts are not kept here: the caller counts the ports it has stored per device, so they survive a
 * restart with the ports.
 *
 * @param devices the pool: {@code <interface dev>}s, {@code <address>}es, or the VFs of {@code <pf>} when the
 *                network lists neither (libvirt's networkCreateInterfacePool)
 */
public record ForwardPool(String network, ForwardMode mode, List<PoolDevice> devices, Optional<String> pf, boolean managed,
        Optional<String> driver) {
    /** libvirt's text when an exclusive pool has no free device (networkAllocatePort). */
    static final String NONE_FREE = "internal error: network '%s' requires exclusive access to interfaces, but none are available";

    public ForwardPool {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(mode, "mode");
        devices = List.copyOf(devices);
        Objects.requireNonNull(pf, "pf");
        Objects.requireNonNull(driver, "driver");
    }

    /** Whether {@code def}'s ports get a device of a pool rather than a bridge port. */
    public static boolean usesPool(NetworkDef def) {
        return switch (def.forwardMode()) {
            case PRIVATE, VEPA, PASSTHROUGH, HOSTDEV -> true;
            case BRIDGE -> def.bridgeName().isEmpty();
            default -> false;
        };
    }

    /** The host interfaces and the PF a start expects to exist (the pool of a hostdev network is PCI addresses). */
    public static List<String> hostInterfaces(NetworkDef def) {
        List<String> out = new ArrayList<>();
        if (!usesPool(def)) {
            return out;
        }
        ForwardDef fwd = def.getForward();
        for (ForwardInterfaceDef i : fwd.getInterfaces()) {
            out.add(i.getDev());
        }
        fwd.getPfs().forEach(p -> out.add(p.getDev()));
        return out;
    }

    /**
     * The pool of {@code def}, which {@link #usesPool uses one}; a {@code <pf>} is asked for its VFs only when the
     * network lists no devices. A PF without a usable VF is refused with libvirt's error.
     */
    public static ForwardPool of(NetworkDef def, VirtualFunctions vfs) {
        return build(def, vfs, true);
    }

    /** The pool as the definition writes it, a {@code <pf>} not asked for its VFs (a plan's text). */
    public static ForwardPool declared(NetworkDef def) {
        return build(def, pf -> List.of(), false);
    }

    private static ForwardPool build(NetworkDef def, VirtualFunctions vfs, boolean expand) {
        if (!usesPool(def)) {
            throw new IllegalArgumentException("network '" + def.name() + "' has no device pool");
        }
        ForwardMode mode = def.forwardMode();
        ForwardDef fwd = def.getForward();
        List<PoolDevice> devices = new ArrayList<>();
        for (ForwardInterfaceDef i : fwd.getInterfaces()) {
            devices.add(new PoolDevice.NetDev(i.getDev()));
        }
        for (PciAddressDef a : fwd.getAddresses()) {
            devices.add(new PoolDevice.Pci(PciAddress.ofAttributes(a.getDomain(), a.getBus(), a.getSlot(), a.getFunction())));
        }
        Optional<String> pf = fwd.getPfs().isEmpty() ? Optional.empty() : Optional.ofNullable(fwd.getPfs().get(0).getDev());
        if (expand && devices.isEmpty() && pf.isPresent()) {
            for (VirtualFunction vf : vfs.of(pf.get())) {
                if (mode == ForwardMode.HOSTDEV) {
                    devices.add(new PoolDevice.Pci(vf.address())); // VFs are always PCI devices
                } else {
                    // a VF no net driver has is in use elsewhere (libvirt leaves it out with a warning)
                    vf.netdev().ifPresent(n -> devices.add(new PoolDevice.NetDev(n)));
                }
            }
            if (devices.isEmpty()) {
                throw VnetException.of(ErrorCode.CONFLICT, "internal error: No usable Vf's present on SRIOV PF %s", pf.get());
            }
        }
        String drv = fwd.getDriver() == null ? null : fwd.getDriver().getName();
        return new ForwardPool(def.name(), mode, devices, pf, "yes".equals(fwd.getManaged()),
                Optional.ofNullable(drv).filter(d -> !d.equals("default")));
    }

    /**
     * The device for a new port (networkAllocatePort): passthrough, hostdev, and private with an 802.1Qbh profile
     * take a device no port holds, the first in pool order; the other modes share, the least used first (the first
     * of equals). {@code connections} counts the ports holding each device.
     */
    public PoolDevice allocate(Map<PoolDevice, Integer> connections, Optional<VirtualPort> virtualPort) {
        checkVirtualPort(virtualPort);
        if (devices.isEmpty()) {
            throw VnetException.of(ErrorCode.CONFLICT,
                    "internal error: network '%s' uses a direct mode, but has no forward dev and no interface pool", network);
        }
        if (exclusive(virtualPort)) {
            for (PoolDevice d : devices) {
                if (connections.getOrDefault(d, 0) == 0) {
                    return d;
                }
            }
            throw VnetException.of(ErrorCode.CONFLICT, NONE_FREE, network);
        }
        PoolDevice best = devices.getFirst();
        for (PoolDevice d : devices) {
            if (connections.getOrDefault(d, 0) < connections.getOrDefault(best, 0)) {
                best = d;
            }
        }
        return best;
    }

    /**
     * A port that comes back with its device (a restarted client reclaims its ports: networkNotifyPort): the device
     * must be the pool's and, where the pool is exclusive, held by no other port.
     */
    public PoolDevice claim(PoolDevice wanted, String portUuid, Map<PoolDevice, Integer> connections, Optional<VirtualPort> virtualPort) {
        if (!devices.contains(wanted)) {
            throw switch (wanted) {
                case PoolDevice.NetDev n -> VnetException.of(ErrorCode.CONFLICT,
                        "internal error: network '%s' doesn't have dev='%s' in use by network port '%s'", network, n.name(), portUuid);
                case PoolDevice.Pci p -> VnetException.of(ErrorCode.CONFLICT,
                        "internal error: network '%s' doesn't have PCI device %s in use by network port", network, p.address());
            };
        }
        if (connections.getOrDefault(wanted, 0) > 0 && exclusive(virtualPort)) {
            throw switch (wanted) {
                case PoolDevice.NetDev n -> VnetException.of(ErrorCode.CONFLICT,
                        "internal error: network '%s' claims dev='%s' is already in use by a different port", network, n.name());
                case PoolDevice.Pci p -> VnetException.of(ErrorCode.CONFLICT,
                        "internal error: network '%s' claims the PCI device at domain=%d bus=%d slot=%d function=%d is already in use "
                                + "by a different network port", network, p.address().domain(), p.address().bus(), p.address().slot(),
                        p.address().function());
            };
        }
        return wanted;
    }

    /** The port's {@code <plug>} for {@code device}: type 'direct' with the mode, or 'hostdev-pci' with the address. */
    public Plug plug(PoolDevice device) {
        return switch (device) {
            case PoolDevice.NetDev n -> new Plug.Direct(n.name(), mode.xmlName());
            case PoolDevice.Pci p -> new Plug.HostdevPci(Optional.of(managed), driver, p.address().domainAttr(), p.address().busAttr(),
                    p.address().slotAttr(), p.address().functionAttr());
        };
    }

    /** One line for a plan's text: what the network's ports get and how. */
    public String describe() {
        String what = mode == ForwardMode.HOSTDEV ? "PCI devices" : "macvtap devices (mode " + mode.xmlName() + ") on";
        String policy = mode == ForwardMode.HOSTDEV || mode == ForwardMode.PASSTHROUGH ? "one port per device" : "the least used first";
        String list;
        if (devices.isEmpty()) {
            list = pf.map(p -> "the VFs of PF " + p).orElse("(none: no forward dev and no interface pool)");
        } else {
            list = devices.stream().map(PoolDevice::toString).collect(Collectors.joining(", ")) + pf.map(p -> " (VFs of PF " + p + ")").orElse("");
        }
        return "ports get " + what + " " + list + ", " + policy;
    }

    private boolean exclusive(Optional<VirtualPort> virtualPort) {
        return mode == ForwardMode.PASSTHROUGH || mode == ForwardMode.HOSTDEV
                || (mode == ForwardMode.PRIVATE && virtualPort.flatMap(VirtualPort::type).map("802.1Qbh"::equals).orElse(false));
    }

    /** Only the 802.1Qbg and 802.1Qbh profiles go with macvtap and hostdev ports. */
    private void checkVirtualPort(Optional<VirtualPort> virtualPort) {
        Optional<String> type = virtualPort.flatMap(VirtualPort::type);
        if (type.isPresent() && !type.get().equals("802.1Qbg") && !type.get().equals("802.1Qbh")) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "unsupported configuration: <virtualport type='%s'> not supported for "
                    + "network '%s' which uses %s", type.get(), network,
                    mode == ForwardMode.HOSTDEV ? "an SR-IOV Virtual Function via PCI passthrough" : "a macvtap device");
        }
    }
}
