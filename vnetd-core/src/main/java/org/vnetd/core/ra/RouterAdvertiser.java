package org.vnetd.core.ra;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

import org.vnetd.core.net.MacAddress;

/**
 * The router advertisement engine of one bridge, without sockets: it decides which received packets
 * are valid solicitations (RFC 4861 §6.1.1), when an advertisement is due ({@link RaSchedule}) and
 * what it says ({@link RaConfig}). The daemon's transport feeds it datagrams and a monotonic clock in
 * milliseconds, and sends what {@link #poll} returns to ff02::1. Not thread-safe: one transport thread owns it.
 */
public final class RouterAdvertiser {
    /** Why a received datagram was not taken as a solicitation. */
    public sealed interface Verdict {
        record Solicited(Optional<MacAddress> host) implements Verdict {
        }

        record Dropped(String reason) implements Verdict {
        }
    }

    private final RaConfig config;
    private final RaSchedule schedule;
    private final byte[] advertisement;
    private final byte[] finalAdvertisement;
    private long sent;
    private long answered;
    private long rateLimited;
    private long malformed;
    private long invalid;

    public RouterAdvertiser(RaConfig config, MacAddress routerMac, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.schedule = new RaSchedule(config.timing(), random);
        this.advertisement = NdpCodec.encode(config.advertisement(routerMac));
        this.finalAdvertisement = NdpCodec.encode(config.advertisement(routerMac).withRouterLifetime(0));
    }

    public RaConfig config() {
        return config;
    }

    public void start(long now) {
        schedule.start(now);
    }

    /**
     * Takes one received ICMPv6 datagram: a valid router solicitation (hop limit 255, code 0, well-formed
     * options, no link-layer address option from the unspecified address) brings the next advertisement
     * forward; anything else is dropped and counted.
     */
    public Verdict receive(byte[] data, int length, int hopLimit, Inet6Address source, long now) {
        if (hopLimit != 255) {
            return invalid("hop limit " + hopLimit + " (a solicitation from on-link has 255)");
        }
        NdpMessage m;
        try {
            m = NdpCodec.decode(data, length);
        } catch (MalformedNdpException e) {
            malformed++;
            return new Verdict.Dropped(e.getMessage());
        }
        if (!(m instanceof NdpMessage.RouterSolicitation rs)) {
            return invalid("not a router solicitation");
        }
        Optional<MacAddress> host = rs.sourceLinkLayer();
        if (source.isAnyLocalAddress() && host.isPresent()) {
            return invalid("solicitation from :: with a source link-layer address option (RFC 4861 §6.1.1)");
        }
        if (!schedule.solicited(now)) {
            rateLimited++;
        }
        answered++;
        return new Verdict.Solicited(host);
    }

    private Verdict invalid(String reason) {
        invalid++;
        return new Verdict.Dropped(reason);
    }

    /** The advertisement to multicast now, if one is due; the schedule moves on as if it was sent. */
    public Optional<byte[]> poll(long now) {
        if (!schedule.due(now)) {
            return Optional.empty();
        }
        schedule.sent(now);
        sent++;
        return Optional.of(advertisement.clone());
    }

    /**
     * The advertisement the last {@link #poll} returned could not be sent: it is not counted as sent, and
     * the schedule treats it as never sent ({@link RaSchedule#failed}).
     */
    public void sendFailed() {
        schedule.failed();
        sent--;
    }

    /** The monotonic time at which {@link #poll} will next return an advertisement. */
    public long nextDue() {
        return schedule.nextDue();
    }

    /** The advertisement with router lifetime 0 that a stopping router sends (RFC 4861 §6.2.5). */
    public byte[] finalAdvertisement() {
        return finalAdvertisement.clone();
    }

    public RaStats stats() {
        return new RaStats(sent, answered, rateLimited, malformed, invalid);
    }
}
