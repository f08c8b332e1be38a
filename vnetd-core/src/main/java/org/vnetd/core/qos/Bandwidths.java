package org.vnetd.core.qos;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;

/** {@code <bandwidth>} of a network or portgroup (checked and canonical after parsing) as a {@link Bandwidth}. */
public final class Bandwidths {
    /** The typed parameters of libvirt's virNetworkPortSetParameters (VIR_NETWORK_PORT_BANDWIDTH_*), unsigned ints. */
    public static final List<String> PARAMETERS = List.of("inbound.average", "inbound.peak", "inbound.floor", "inbound.burst",
            "outbound.average", "outbound.peak", "outbound.burst");

    private Bandwidths() {
    }

    /**
     * libvirt's networkPortSetParameters: the parameters given make the new bandwidth (absent ones are 0, which
     * means unset); a direction without an average (inbound: nor a floor) is left out, and none at all removes it.
     */
    public static Optional<Bandwidth> fromParameters(Map<String, Long> v) {
        Optional<Bandwidth.Rate> in = Optional.of(new Bandwidth.Rate(param(v, "inbound.average"), param(v, "inbound.peak"),
                param(v, "inbound.floor"), param(v, "inbound.burst"))).filter(r -> r.average().isPresent() || r.floor().isPresent());
        Optional<Bandwidth.Rate> out = Optional.of(new Bandwidth.Rate(param(v, "outbound.average"), param(v, "outbound.peak"),
                OptionalLong.empty(), param(v, "outbound.burst"))).filter(r -> r.average().isPresent());
        return in.isEmpty() && out.isEmpty() ? Optional.empty() : Optional.of(new Bandwidth(OptionalLong.empty(), in, out));
    }

    private static OptionalLong param(Map<String, Long> v, String field) {
        long x = v.getOrDefault(field, 0L);
        return x == 0 ? OptionalLong.empty() : OptionalLong.of(x);
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
