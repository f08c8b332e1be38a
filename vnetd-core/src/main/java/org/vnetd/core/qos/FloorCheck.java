package org.vnetd.core.qos;

import java.util.Optional;
import java.util.OptionalLong;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.model.ForwardMode;

/**
 * libvirt's networkCheckBandwidth: whether a port's floor fits its network's inbound rate given the floors
 * of the other ports, with libvirt's errors. A floor is a guarantee, so the sum of the floors of a network's
 * ports may not exceed its inbound peak, or its average without a peak.
 */
public final class FloorCheck {
    private FloorCheck() {
    }

    /**
     * Checks {@code wanted} (replacing {@code old}, empty for a new port) against the network.
     *
     * @param floorSum the sum of the floors of the network's ports now, {@code old}'s included
     * @return empty when no floor is involved (nothing to plug: libvirt's "no QoS required"), else the rate
     *         the network's unguaranteed class starts from (its inbound peak, or average), before the floors
     *         are taken off it
     */
    public static OptionalLong check(String network, String bridge, ForwardMode mode, Optional<Bandwidth> networkBw,
            Optional<Bandwidth> wanted, Optional<Bandwidth> old, MacAddress mac, long floorSum) {
        long newFloor = Bandwidths.floor(wanted);
        if (newFloor > 0 && !supportsFloor(mode)) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "Operation not supported: Invalid use of 'floor' on interface with MAC address %s - 'floor' is only supported "
                            + "for interface type 'network' with forward type 'nat', 'route', 'open' or none", mac);
        }
        Optional<Bandwidth.Rate> net = networkBw.flatMap(Bandwidth::inbound);
        if (newFloor > 0 && net.isEmpty()) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "Operation not supported: Invalid use of 'floor' on interface with MAC address %s - network '%s' has no inbound QoS set",
                    mac, network);
        }
        if (net.isEmpty() || (newFloor == 0 && Bandwidths.floor(old) == 0)) {
            return OptionalLong.empty();
        }
        long sum = floorSum - old.flatMap(Bandwidth::inbound).map(r -> r.floor().orElse(0)).orElse(0L)
                + wanted.flatMap(Bandwidth::inbound).map(r -> r.floor().orElse(0)).orElse(0L);
        long average = net.get().average().orElse(0);
        long peak = net.get().peak().orElse(0);
        if (peak > 0) {
            if (Long.compareUnsigned(sum, peak) > 0) {
                throw VnetException.of(ErrorCode.CONFLICT, "Requested operation is not valid: Cannot plug '%s' interface into '%s' "
                        + "because new combined inbound floor=%d would overcommit peak=%d on network '%s'", mac, bridge, sum, peak, network);
            }
            return OptionalLong.of(peak);
        }
        if (Long.compareUnsigned(sum, average) > 0) {
            throw VnetException.of(ErrorCode.CONFLICT, "Requested operation is not valid: Cannot plug '%s' interface into '%s' "
                    + "because new combined inbound floor=%d would overcommit average=%d on network '%s'", mac, bridge, sum, average, network);
        }
        return OptionalLong.of(average);
    }

    /** virNetDevBandwidthSupportsFloor: the modes whose bridge is the network's own. */
    public static boolean supportsFloor(ForwardMode mode) {
        return mode.hasBridge();
    }
}
