package org.vnetd.daemon.dhcp;

/**
 * How the lease log's group commit behaves: {@code syncs} write+fdatasync rounds covered {@code acks}
 * ACKs, taking {@code totalMillis} in all; the first one took {@code firstMillis} (it also sets up the
 * record writer), the slowest of the others {@code maxMillis}, and {@code slowSyncs} (the first
 * included) took over 10 ms. ACK latency is bounded below by the sync time; acks/syncs is the
 * batching factor.
 */
public record SyncStats(long syncs, long acks, double totalMillis, double firstMillis, double maxMillis, long slowSyncs) {
    public static final SyncStats NONE = new SyncStats(0, 0, 0, 0, 0, 0);

    public double averageMillis() {
        return syncs == 0 ? 0 : totalMillis / syncs;
    }

    @Override
    public String toString() {
        return String.format("%d syncs for %d ACKs (%.1f per sync), avg %.2f ms, first %.2f ms, max after it %.2f ms, %d over 10 ms",
                syncs, acks, syncs == 0 ? 0.0 : (double) acks / syncs, averageMillis(), firstMillis, maxMillis, slowSyncs);
    }
}
