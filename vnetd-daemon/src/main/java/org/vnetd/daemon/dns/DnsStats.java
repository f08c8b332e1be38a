package org.vnetd.daemon.dns;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one network's DNS service, for diagnosis (what happened to the queries). */
public record DnsStats(long queries, long answeredLocally, long answeredFromCache, long forwarded, long coalesced,
                       long upstreamFailures, long dropped) {

    /** The live counters; {@link #snapshot()} reads them. */
    static final class Counters {
        final LongAdder queries = new LongAdder();
        final LongAdder local = new LongAdder();
        final LongAdder cached = new LongAdder();
        final LongAdder forwarded = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder upstreamFailures = new LongAdder();
        final LongAdder dropped = new LongAdder();

        DnsStats snapshot() {
            return new DnsStats(queries.sum(), local.sum(), cached.sum(), forwarded.sum(), coalesced.sum(), upstreamFailures.sum(),
                    dropped.sum());
        }
    }
}
