package org.vnetd.core.ra;

import java.util.List;
import java.util.Optional;

import org.vnetd.core.net.MacAddress;

/** The ICMPv6 router discovery messages (RFC 4861 §4.1, §4.2), without the IPv6 header. */
public sealed interface NdpMessage {
    int ICMP_ROUTER_SOLICITATION = 133;
    int ICMP_ROUTER_ADVERTISEMENT = 134;

    List<NdpOption> options();

    /** The MAC in the first source link-layer address option, if the sender gave one. */
    default Optional<MacAddress> sourceLinkLayer() {
        return options().stream().filter(o -> o instanceof NdpOption.SourceLinkLayer)
                .map(o -> ((NdpOption.SourceLinkLayer) o).mac()).findFirst();
    }

    record RouterSolicitation(List<NdpOption> options) implements NdpMessage {
        public RouterSolicitation {
            options = List.copyOf(options);
        }
    }

    /**
     * {@code managed} is the M flag (addresses from DHCPv6), {@code other} the O flag (other configuration
     * from DHCPv6); a {@code routerLifetime} of 0 says "not a default router". Times as on the wire:
     * lifetime in seconds, reachable time and retransmit timer in milliseconds (0: unspecified).
     */
    record RouterAdvertisement(int curHopLimit, boolean managed, boolean other, int routerLifetime, long reachableTime,
            long retransTimer, List<NdpOption> options) implements NdpMessage {
        public RouterAdvertisement {
            if (curHopLimit < 0 || curHopLimit > 255) {
                throw new IllegalArgumentException("hop limit " + curHopLimit + " is not 0-255");
            }
            if (routerLifetime < 0 || routerLifetime > 65535) {
                throw new IllegalArgumentException("router lifetime " + routerLifetime + " is not 0-65535");
            }
            options = List.copyOf(options);
        }

        public RouterAdvertisement withRouterLifetime(int seconds) {
            return new RouterAdvertisement(curHopLimit, managed, other, seconds, reachableTime, retransTimer, options);
        }
    }
}
