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
     * Whether a full collection now would give memory back: the daemon was quiet since {@code before} (at most one
     * young collection, so it allocated less than one young generation and a collection pauses no work in
     * progress), and the old generation holds more than {@code slack} bytes of promoted garbage, or is committed
     * well beyond what is live (room a burst made the heap grow to, whose pages a compaction leaves resident).
     */
    public boolean worthTrimming(HeapSample before, long slack) {
        boolean quiet = youngCollections - before.youngCollections <= 1 && fullCollections == before.fullCollections;
        boolean garbage = oldUsed - oldLive > slack;
        boolean roomy = oldCommitted - oldLive > slack + oldLive / 4;
        return quiet && (garbage || roomy);
    }
}
