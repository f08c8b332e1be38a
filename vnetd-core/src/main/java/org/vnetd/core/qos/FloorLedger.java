package org.vnetd.core.qos;

import java.util.BitSet;
import java.util.List;

/**
 * A network's floor accounting (libvirt's classIdMap and floor_sum of a network object), derived from its
 * ports as they are stored: each port with a floor holds a class id and adds its floor to the sum. Derived,
 * never kept on its own, so a port's delete gives its share back and a restarted daemon has the same sum
 * as the one before it.
 */
public final class FloorLedger {
    /** One port's share: its class id on the bridge and its inbound floor. */
    public record Share(int classId, long floor) {
    }

    private final BitSet used = new BitSet();
    private final long floorSum;

    public FloorLedger(List<Share> shares) {
        used.set(0, 3); // 1:1 and 1:2 are the network's own; 0 is never a class
        long sum = 0;
        for (Share s : shares) {
            used.set(s.classId());
            sum += s.floor();
        }
        this.floorSum = sum;
    }

    public long floorSum() {
        return floorSum;
    }

    /** The lowest free class id (networkNextClassID: ids freed by unplugged ports are used again). */
    public int nextClassId() {
        return used.nextClearBit(0);
    }
}
