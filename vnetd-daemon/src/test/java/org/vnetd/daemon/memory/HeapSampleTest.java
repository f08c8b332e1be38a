package org.vnetd.daemon.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapSampleTest {
    private static final long MIB = 1024 * 1024;
    private static final long SLACK = 2 * MIB;

    @Test
    void quietAfterABurstThatLeftGarbageIsWorthTrimming() {
        HeapSample before = new HeapSample(100, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        HeapSample now = new HeapSample(101, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        assertTrue(now.worthTrimming(before, SLACK));
    }

    @Test
    void notWhileABurstRunsManyYoungCollections() {
        HeapSample before = new HeapSample(100, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        HeapSample now = new HeapSample(100 + HeapSample.LIGHT_YOUNG_COLLECTIONS + 1, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        assertFalse(now.worthTrimming(before, SLACK));
    }

    @Test
    void notWhileABurstStillPromotes() {
        HeapSample before = new HeapSample(100, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        HeapSample now = new HeapSample(105, 1, 22 * MIB, 9 * MIB, 24 * MIB);
        assertFalse(now.worthTrimming(before, SLACK));
    }

    @Test
    void lightTrafficAfterABurstDoesNotPutTheTrimOff() {
        // a client polling every 10 ms: a few young collections a period, nothing promoted (RpcFloodProcessTest's
        // read-write probes kept 16 MiB of a flood's old generation committed when only a silent daemon trimmed)
        HeapSample before = new HeapSample(100, 1, 25 * MIB, 9 * MIB, 25 * MIB);
        HeapSample now = new HeapSample(103, 1, 25 * MIB, 9 * MIB, 25 * MIB);
        assertTrue(now.worthTrimming(before, SLACK));
    }

    @Test
    void notRightAfterAFullCollection() {
        HeapSample before = new HeapSample(100, 1, 20 * MIB, 9 * MIB, 24 * MIB);
        HeapSample now = new HeapSample(100, 2, 12 * MIB, 9 * MIB, 24 * MIB);
        assertFalse(now.worthTrimming(before, SLACK));
    }

    @Test
    void notWhenTheOldGenerationHoldsLittleMoreThanItsLiveData() {
        HeapSample before = new HeapSample(100, 3, 10 * MIB, 9 * MIB, 10 * MIB);
        HeapSample now = new HeapSample(100, 3, 10 * MIB, 9 * MIB, 10 * MIB);
        assertFalse(now.worthTrimming(before, SLACK));
    }

    @Test
    void roomLeftByAnEarlierGrowthIsWorthTrimmingToo() {
        // a full collection under load compacted to 9 MiB live but left 40 MiB committed, pages once touched
        HeapSample before = new HeapSample(100, 3, 10 * MIB, 9 * MIB, 40 * MIB);
        HeapSample now = new HeapSample(100, 3, 10 * MIB, 9 * MIB, 40 * MIB);
        assertTrue(now.worthTrimming(before, SLACK));
    }

    @Test
    void beforeTheFirstFullCollectionEverythingPromotedCounts() {
        HeapSample before = new HeapSample(30, 0, 9 * MIB, 0, 28 * MIB);
        HeapSample now = new HeapSample(30, 0, 9 * MIB, 0, 28 * MIB);
        assertTrue(now.worthTrimming(before, SLACK));
    }
}
