package org.vnetd.core.qos;

import java.util.Optional;
import java.util.OptionalLong;

import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;

/** {@code <bandwidth>} of a network or portgroup (checked and canonical after parsing) as a {@link Bandwidth}. */
public final class Bandwidths {
    private Bandwidths() {
    }

    public static Optional<Bandwidth> of(BandwidthDef b) {
        if (b == null) {
            return Optional.empty();
        }
        return Optional.of(new Bandwidth(num(b.getClassID()), Optional.ofNullable(b.getInbound()).map(Bandwidths::rate),
                Optional.ofNullable(b.getOutbound()).map(Bandwidths::rate)));
    }

    private static Bandwidth.Rate rate(BandwidthRateDef r) {
        return new Bandwidth.Rate(num(r.getAverage()), num(r.getPeak()), num(r.getFloor()), num(r.getBurst()));
    }

    private static OptionalLong num(String s) {
        return s == null ? OptionalLong.empty() : OptionalLong.of(Long.parseUnsignedLong(s.trim()));
    }

    /** The inbound floor, 0 without one (virNetDevBandwidthHasFloor is {@code floor > 0}). */
    public static long floor(Optional<Bandwidth> b) {
        return b.flatMap(Bandwidth::inbound).map(r -> r.floor().orElse(0)).orElse(0L);
    }
}
