package org.vnetd.core.ra;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import org.vnetd.core.net.MacAddress;

/**
 * What one bridge advertises: the M and O flags, the router lifetime (0: not a default router), one
 * prefix per IPv6 {@code <ip>}, the DNS servers (RDNSS) and the MTU. Plain data, derived from the
 * network definition by {@code ServiceConfigs.ra}.
 */
public record RaConfig(String interfaceName, boolean managed, boolean other, int routerLifetime,
        List<NdpOption.PrefixInformation> prefixes, List<Inet6Address> dnsServers, long dnsLifetime, OptionalLong mtu,
        RaTiming timing) {
    /** Hosts' own default (RFC 4861 §6.3.2 leaves it to them); what dnsmasq and radvd send: 0, unspecified. */
    public static final int HOP_LIMIT = 64;

    public RaConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        prefixes = List.copyOf(prefixes);
        dnsServers = List.copyOf(dnsServers);
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(timing, "timing");
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("router advertisements on " + interfaceName + " need at least one prefix");
        }
        if (routerLifetime != 0 && (routerLifetime < timing.max().toSeconds() || routerLifetime > 9000)) {
            throw new IllegalArgumentException("router lifetime " + routerLifetime + " s is neither 0 nor "
                    + timing.max().toSeconds() + "-9000 s (RFC 4861 §6.2.1)");
        }
    }

    /** The advertisement this configuration sends, with the router's MAC as source link-layer address. */
    public NdpMessage.RouterAdvertisement advertisement(MacAddress routerMac) {
        List<NdpOption> options = new ArrayList<>();
        options.add(new NdpOption.SourceLinkLayer(routerMac));
        mtu.ifPresent(m -> options.add(new NdpOption.Mtu(m)));
        options.addAll(prefixes);
        if (!dnsServers.isEmpty()) {
            options.add(new NdpOption.Rdnss(dnsLifetime, dnsServers));
        }
        return new NdpMessage.RouterAdvertisement(HOP_LIMIT, managed, other, routerLifetime, 0, 0, options);
    }
}
