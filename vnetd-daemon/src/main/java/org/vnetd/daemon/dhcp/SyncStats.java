package org.vnetd.daemon.dhcp;

/**
 * How the lease log's group commit behaves: {@code syncs} write+fdatasync rounds covered {@code acks}
 * ACKs, taking {@code totalMillis} in all and at most {@code maxMillis} once. ACK latency is bounded
 * below by the sync time; acks/syncs is the batching factor.
 */
public record SyncStats(long syncs, long acks, double totalMillis, double maxMillis) {
    public double averageMillis() {
        return syncs == 0 ? 0 : totalMillis / syncs;
    }

    @Override
    public String toString() {
        return String.format("%d syncs for %d ACKs (%.1f per sync), avg %.2f ms, max %.2f ms",
                syncs, acks, syncs == 0 ? 0.0 : (double) acks / syncs, averageMillis(), maxMillis);
    }
}
