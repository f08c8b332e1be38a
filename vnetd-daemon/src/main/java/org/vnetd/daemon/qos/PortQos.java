package org.vnetd.daemon.qos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.qos.FloorCheck;
import org.vnetd.core.qos.FloorLedger;
import org.vnetd.core.qos.HtbClassChange;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.qos.TcObject;
import org.vnetd.core.qos.TcPlans;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * A port's bandwidth in the kernel, as libvirt splits it: the network driver's part, the port's floor on the
 * bridge (networkPlugBandwidth, networkUnplugBandwidth, networkUpdatePortBandwidth), and the hypervisor's part
 * for the taps vnetd makes itself, the port's rates on its tap (virNetDevBandwidthSet, swapped: what the guest
 * receives leaves the tap). Floors are accounted by {@link FloorLedger} over the ports as stored; callers hold
 * the ports' lock.
 */
public final class PortQos {
    private static final Logger LOG = LoggerFactory.getLogger(PortQos.class);

    private final TcBackend tc;
    private final TcEffects effects;

    public PortQos(TcBackend tc) {
        this.tc = tc;
        this.effects = new TcEffects(tc);
    }

    /** Whether {@code bw} shapes a tap at all (an inbound average, or an outbound). */
    public static boolean shapesTap(Optional<Bandwidth> bw) {
        return bw.map(b -> !TcPlans.set("x", b, false).isEmpty()).orElse(false);
    }

    /**
     * The port's rates on its tap; a kernel refusal ({@link org.vnetd.core.qos.KernelFeatureMissing} for the
     * police action of an outbound rate) undoes what was made and is thrown.
     */
    public void shapeTap(String tap, Optional<Bandwidth> bw) {
        if (bw.isPresent()) {
            Executor.applyAll("tap " + tap, TcPlans.set(tap, bw.get(), false), effects, TcObject::describe);
        }
    }

    /**
     * New rates on a tap (libvirt clears, then sets): when the new ones cannot be made the old ones are made
     * again and the error is thrown.
     */
    public void reshapeTap(String tap, Optional<Bandwidth> old, Optional<Bandwidth> wanted) {
        tc.clear(tap);
        try {
            shapeTap(tap, wanted);
        } catch (RuntimeException e) {
            try {
                tc.clear(tap);
                shapeTap(tap, old);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    /**
     * Checks a new port's floor against its network and plans its class (networkCheckBandwidth, then the
     * next free class id); empty when there is no floor to plug.
     */
    public Optional<FloorPlug> planPlug(NetworkDef net, List<FloorLedger.Share> others, MacAddress mac, Optional<Bandwidth> bw) {
        String bridge = net.bridgeName().orElseThrow();
        Optional<Bandwidth> netBw = Bandwidths.of(net.getBandwidth());
        FloorLedger ledger = new FloorLedger(others);
        OptionalLong base = FloorCheck.check(net.name(), bridge, net.forwardMode(), netBw, bw, Optional.empty(), mac, ledger.floorSum());
        if (base.isEmpty()) {
            return Optional.empty();
        }
        int id = ledger.nextClassId();
        long sum = ledger.floorSum() + Bandwidths.floor(bw);
        return Optional.of(new FloorPlug(id, TcPlans.plug(bridge, netBw, mac, bw.get(), id),
                TcPlans.updateRate(bridge, 2, netBw.get(), base.getAsLong() - ledger.floorSum()),
                TcPlans.updateRate(bridge, 2, netBw.get(), base.getAsLong() - sum)));
    }

    /** Makes the floor's class, SFQ and filter (undone if one fails), then gives the unguaranteed class its new rate. */
    public List<Applied<TcObject>> plug(FloorPlug p) {
        List<Applied<TcObject>> done = Executor.applyAll("floor class 1:" + Integer.toHexString(p.classId()), p.objects(), effects,
                TcObject::describe);
        changeRate(p.after());
        return done;
    }

    /** Undoes {@link #plug}: the objects in reverse, and the unguaranteed class's rate as it was. */
    public void unplug(FloorPlug p, List<Applied<TcObject>> done) {
        List<RuntimeException> errors = Executor.undoAll("floor class 1:" + Integer.toHexString(p.classId()), done, effects,
                TcObject::describe);
        changeRate(p.before());
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
    }

    /**
     * networkUnplugBandwidth: removes a port's floor from its running network's bridge (its SFQ, filter and
     * class) and gives the rest back to the unguaranteed class, {@code others} being the shares left.
     */
    public void unplug(NetworkDef net, int classId, long floor, MacAddress mac, List<FloorLedger.Share> others) {
        String bridge = net.bridgeName().orElseThrow();
        Optional<Bandwidth> netBw = Bandwidths.of(net.getBandwidth());
        if (netBw.flatMap(Bandwidth::inbound).isEmpty()) {
            LOG.warn("Network {} has no bandwidth but unplug requested", net.name());
            return;
        }
        Bandwidth portBw = new Bandwidth(OptionalLong.of(classId), Optional.of(new Bandwidth.Rate(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.of(floor), OptionalLong.empty())), Optional.empty());
        List<TcObject> objects = new ArrayList<>(TcPlans.plug(bridge, netBw, mac, portBw, classId));
        // libvirt's order: the class's qdisc, the filter that feeds the class, the class
        for (TcObject o : List.of(objects.get(1), objects.get(2), objects.get(0))) {
            effects.undo(o, Map.of());
        }
        changeRate(TcPlans.updateRate(bridge, 2, netBw.get(), base(netBw.get()) - new FloorLedger(others).floorSum()));
    }

    /**
     * A port's floor plugged again under the class id it holds (a network started again has a new bridge; an
     * unplug that has to be undone), {@code others} being the shares beside it.
     */
    public void replug(NetworkDef net, int classId, Bandwidth port, MacAddress mac, List<FloorLedger.Share> others) {
        String bridge = net.bridgeName().orElseThrow();
        Optional<Bandwidth> netBw = Bandwidths.of(net.getBandwidth());
        Executor.applyAll("floor class 1:" + Integer.toHexString(classId), TcPlans.plug(bridge, netBw, mac, port, classId), effects,
                TcObject::describe);
        changeRate(TcPlans.updateRate(bridge, 2, netBw.get(), base(netBw.get()) - new FloorLedger(others).floorSum() - Bandwidths.floor(
                Optional.of(port))));
    }

    /** A plugged port's new floor (networkUpdatePortBandwidth with a floor before and after): its class's rate, then 1:2's. */
    public void changeFloor(NetworkDef net, int classId, long newFloor, List<FloorLedger.Share> others) {
        String bridge = net.bridgeName().orElseThrow();
        Bandwidth netBw = Bandwidths.of(net.getBandwidth()).orElseThrow();
        tc.change(TcPlans.updateRate(bridge, classId, netBw, newFloor));
        changeRate(TcPlans.updateRate(bridge, 2, netBw, base(netBw) - new FloorLedger(others).floorSum() - newFloor));
    }

    /** The network's inbound peak, or its average: what its unguaranteed class gets when no floor is plugged. */
    static long base(Bandwidth net) {
        Bandwidth.Rate in = net.inbound().orElseThrow();
        return in.peak().orElse(0) > 0 ? in.peak().getAsLong() : in.average().orElse(0);
    }

    /** virNetDevBandwidthUpdateRate of 1:2, which libvirt only warns about when it fails (a rate of 0 when floors take it all). */
    private void changeRate(HtbClassChange change) {
        try {
            tc.change(change);
        } catch (KernelException e) {
            LOG.warn("Unable to update rate for 1:2 class on {} bridge ({}): {}", change.device(), change.describe(), e.getMessage());
        }
    }
}
