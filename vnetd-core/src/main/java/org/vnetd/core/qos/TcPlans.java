package org.vnetd.core.qos;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;

/**
 * The tc objects of libvirt's bandwidth layout (src/util/virnetdevbandwidth.c), as data:
 * <ul>
 * <li>{@link #set} is virNetDevBandwidthSet with {@code swapped} (a bridge or tap, where what the guests
 * receive leaves the device): the inbound rate shapes the device's egress with a root HTB qdisc, the
 * outbound rate polices its ingress. On a network's bridge the classes are hierarchical: {@code 1:1} caps
 * the whole network, {@code 1:2} (the default) carries the traffic of ports without a floor, and each port
 * with a floor gets a class of its own beside it ({@link #plug}).</li>
 * <li>{@link #plug} is virNetDevBandwidthPlug: a port's floor as class {@code 1:id} under {@code 1:1} with
 * its SFQ and a u32 filter on the guest's MAC.</li>
 * <li>{@link #updateRate} is virNetDevBandwidthUpdateRate.</li>
 * </ul>
 */
public final class TcPlans {
    /** libvirt's quantum is computed for this MTU. */
    static final long MTU = 1500;
    /** The mtu of libvirt's police action, in kb. */
    static final long POLICE_MTU_KB = 64;
    /** tc keeps a burst in bytes as an unsigned int; libvirt's default burst (in kb) stays below it. */
    static final long MAX_BURST_KB = 0xFFFF_FFFFL / 1024;
    public static final TcHandle ROOT = TcHandle.qdisc(1);
    public static final TcHandle NETWORK_CLASS = new TcHandle(1, 1);
    public static final TcHandle UNGUARANTEED_CLASS = new TcHandle(1, 2);

    private TcPlans() {
    }

    /**
     * The objects virNetDevBandwidthSet makes on {@code device} for {@code bw} (after clearing what was
     * there): {@code hierarchical} for a network's bridge, where ports' floors get classes of their own.
     */
    public static List<TcObject> set(String device, Bandwidth bw, boolean hierarchical) {
        List<TcObject> out = new ArrayList<>();
        // swapped: what the guests receive (inbound) is what the bridge or tap transmits
        Optional<Bandwidth.Rate> tx = bw.inbound();
        Optional<Bandwidth.Rate> rx = bw.outbound();
        if (tx.isPresent() && tx.get().average().orElse(0) > 0) {
            Bandwidth.Rate r = tx.get();
            long average = r.average().getAsLong();
            long peak = r.peak().orElse(0);
            out.add(new TcObject.HtbQdisc(device, ROOT, hierarchical ? 2 : 1));
            if (hierarchical) {
                out.add(new TcObject.HtbClass(device, ROOT, NETWORK_CLASS, average, peak > 0 ? peak : average, 0, quantum(r)));
            }
            TcHandle leaf = hierarchical ? UNGUARANTEED_CLASS : NETWORK_CLASS;
            out.add(new TcObject.HtbClass(device, hierarchical ? NETWORK_CLASS : ROOT, leaf, average, peak, r.burst().orElse(0),
                    quantum(r)));
            out.add(new TcObject.SfqQdisc(device, leaf, TcHandle.qdisc(2), 10));
            out.add(new TcObject.FwFilter(device, ROOT, 1, 1, 1));
        }
        if (rx.isPresent()) {
            Bandwidth.Rate r = rx.get();
            long average = r.average().orElse(0);
            long burst = r.burst().orElse(0) > 0 ? r.burst().getAsLong() : Math.min(average, MAX_BURST_KB);
            out.add(new TcObject.IngressQdisc(device));
            out.add(new TcObject.PoliceFilter(device, average, burst, POLICE_MTU_KB));
        }
        return out;
    }

    /** A port's floor on its network's bridge (virNetDevBandwidthPlug); {@code id} is the port's class id, above 2. */
    public static List<TcObject> plug(String bridge, Optional<Bandwidth> network, MacAddress mac, Bandwidth port, int id) {
        if (id <= 2) {
            throw VnetException.of(ErrorCode.INTERNAL, "internal error: Invalid class ID %d", id);
        }
        Bandwidth.Rate net = network.flatMap(Bandwidth::inbound).orElseThrow(() -> VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                "unsupported configuration: Bridge '%s' has no QoS set, therefore unable to set 'floor' on '%s'", bridge, mac));
        Bandwidth.Rate in = port.inbound().orElseThrow();
        TcHandle cls = new TcHandle(1, id);
        return List.of(
                new TcObject.HtbClass(bridge, NETWORK_CLASS, cls, in.floor().orElse(0), ceiling(net), 0, quantum(in)),
                new TcObject.SfqQdisc(bridge, cls, TcHandle.qdisc(id), 10),
                new TcObject.MacFilter(bridge, id, mac.toString(), cls));
    }

    /** virNetDevBandwidthUpdateRate: class {@code 1:id} gets {@code rate}, the network's ceiling and quantum. */
    public static HtbClassChange updateRate(String device, int id, Bandwidth network, long rate) {
        Bandwidth.Rate net = network.inbound().orElseThrow();
        return new HtbClassChange(device, new TcHandle(1, id), rate, ceiling(net), quantum(net));
    }

    /** The network's inbound peak, or its average without one. */
    static long ceiling(Bandwidth.Rate net) {
        return net.peak().orElse(0) > 0 ? net.peak().getAsLong() : net.average().orElse(0);
    }

    /**
     * libvirt's "optimal quantum": the bytes a class may send in turn, its rate over r2q with r2q chosen so
     * that it comes to one MTU; at least 1.
     */
    static long quantum(Bandwidth.Rate r) {
        long q = r.average().orElse(0) * 1024 / 8 / MTU;
        return q == 0 ? 1 : q;
    }
}
