package org.vnetd.core.dhcp;

import java.util.EnumMap;
import java.util.Map;

/** Counters of one server: what came in and what was done with it. */
public record DhcpStats(long received, long malformed, long offers, long acks, long naks, Map<Decision.IgnoreReason, Long> ignored) {
    public DhcpStats {
        ignored = Map.copyOf(ignored);
    }

    public long ignored(Decision.IgnoreReason r) {
        return ignored.getOrDefault(r, 0L);
    }

    /** Mutable counters, guarded by the server's lock. */
    static final class Counter {
        long received;
        long malformed;
        long offers;
        long acks;
        long naks;
        final EnumMap<Decision.IgnoreReason, Long> ignored = new EnumMap<>(Decision.IgnoreReason.class);

        void count(Decision d) {
            switch (d) {
                case Decision.Offer o -> offers++;
                case Decision.Ack a -> acks++;
                case Decision.Nak n -> naks++;
                case Decision.Ignore i -> ignored.merge(i.reason(), 1L, Long::sum);
            }
        }

        DhcpStats snapshot() {
            return new DhcpStats(received, malformed, offers, acks, naks, ignored);
        }
    }
}
