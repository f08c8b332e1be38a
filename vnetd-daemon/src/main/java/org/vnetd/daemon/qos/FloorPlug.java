package org.vnetd.daemon.qos;

import java.util.List;
import java.util.Objects;

import org.vnetd.core.qos.HtbClassChange;
import org.vnetd.core.qos.TcObject;

/**
 * A port's floor on its network's bridge, planned (libvirt's networkPlugBandwidthImpl): the class id it takes,
 * its class, SFQ and MAC filter, and the rate of the network's unguaranteed class {@code 1:2} with the floor
 * taken off ({@code after}) and without ({@code before}, for undo).
 */
public record FloorPlug(int classId, List<TcObject> objects, HtbClassChange before, HtbClassChange after) {
    public FloorPlug {
        objects = List.copyOf(objects);
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public String describe() {
        return "plug floor class 1:" + Integer.toHexString(classId) + " on " + after.device();
    }
}
