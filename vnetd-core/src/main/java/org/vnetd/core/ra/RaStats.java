package org.vnetd.core.ra;

/**
 * Counters of one bridge's router advertiser since it started. Every datagram taken is either a
 * solicitation answered or dropped: {@code malformed} ones the codec refused, {@code invalid} ones that
 * are well-formed but not a solicitation to answer (hop limit not 255, a link-layer option from {@code ::},
 * not a solicitation). {@code solicitationsRateLimited} counts the answered solicitations that brought no
 * advertisement forward of their own: they share one already brought forward, or the spacing of
 * RFC 4861 §6.2.6 (3 s between multicast advertisements) held theirs back.
 */
public record RaStats(long advertisementsSent, long solicitationsAnswered, long solicitationsRateLimited, long malformed,
        long invalid) {
    public static final RaStats NONE = new RaStats(0, 0, 0, 0, 0);

    /** Datagrams dropped: malformed or invalid. */
    public long dropped() {
        return malformed + invalid;
    }
}
