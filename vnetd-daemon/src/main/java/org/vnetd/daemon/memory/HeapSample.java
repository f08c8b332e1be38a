package org.vnetd.daemon.memory;

/**
 * The collector's counters and the old generation's size at one moment.
 *
 * @param youngCollections young collections since the JVM started
 * @param fullCollections  full collections since the JVM started
 * @param oldUsed          bytes in use in the old generation, garbage included
 * @param oldLive          bytes the old generation held after its last full collection (0 before the first)
 * @param oldCommitted     bytes committed to the old generation
 */
public record HeapSample(long youngCollections, long fullCollections, long oldUsed, long oldLive, long oldCommitted) {

    /**
     * Young collections in one period that still count as light traffic: a client polling the daemon or a few DHCP
     * renewals run a few; a burst (a flood of requests, a DHCP storm, networks starting) runs hundreds.
     */
    static final int LIGHT_YOUNG_COLLECTIONS = 30;

    /**
     * Whether a full collection now would give memory back: the burst that filled the old generation is over
     * since {@code before} (no full collection, at most {@link #LIGHT_YOUNG_COLLECTIONS} young ones, and less
     * than half of {@code slack} promoted: light traffic may go on, but nothing in progress is being promoted
     * that a collection would only move), and the old generation holds more than {@code slack} bytes of
     * promoted garbage, or is committed well beyond what is live (room a burst made the heap grow to, whose
     * pages a compaction leaves resident).
     */
    public boolean worthTrimming(HeapSample before, long slack) {
        boolean over = fullCollections == before.fullCollections
                && youngCollections - before.youngCollections <= LIGHT_YOUNG_COLLECTIONS
                && oldUsed - before.oldUsed <= slack / 2;
        boolean garbage = oldUsed - oldLive > slack;
        boolean roomy = oldCommitted - oldLive > slack + oldLive / 4;
        return over && (garbage || roomy);
    }
}
