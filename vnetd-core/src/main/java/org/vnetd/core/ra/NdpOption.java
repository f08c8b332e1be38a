package org.vnetd.core.ra;

import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.net.Octets;

/** One option of a router solicitation or advertisement (RFC 4861 §4.6, RFC 8106 §5.1). */
public sealed interface NdpOption {
    /** Lifetimes of all ones mean "infinity" (RFC 4861 §4.6.2). */
    long INFINITE = 0xffffffffL;

    int type();

    /** Source link-layer address (type 1): the router's MAC, so hosts need no neighbour solicitation for it. */
    record SourceLinkLayer(MacAddress mac) implements NdpOption {
        public static final int TYPE = 1;

        public SourceLinkLayer {
            Objects.requireNonNull(mac, "mac");
        }

        public int type() {
            return TYPE;
        }
    }

    /**
     * Prefix information (type 3): {@code onLink} is the L flag, {@code autonomous} the A flag that lets
     * hosts form SLAAC addresses from the prefix. Lifetimes are in seconds.
     */
    record PrefixInformation(IpPrefix prefix, boolean onLink, boolean autonomous, long validLifetime, long preferredLifetime)
            implements NdpOption {
        public static final int TYPE = 3;

        public PrefixInformation {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isIpv4()) {
                throw new IllegalArgumentException("prefix information needs an IPv6 prefix, not " + prefix);
            }
            prefix = prefix.networkPrefix();
            checkU32("valid lifetime", validLifetime);
            checkU32("preferred lifetime", preferredLifetime);
        }

        public int type() {
            return TYPE;
        }
    }

    /** The link MTU (type 5). */
    record Mtu(long mtu) implements NdpOption {
        public static final int TYPE = 5;

        public Mtu {
            checkU32("mtu", mtu);
        }

        public int type() {
            return TYPE;
        }
    }

    /** Recursive DNS servers (type 25, RFC 8106); lifetime in seconds, 0 withdraws them. */
    record Rdnss(long lifetime, List<Inet6Address> servers) implements NdpOption {
        public static final int TYPE = 25;

        public Rdnss {
            checkU32("lifetime", lifetime);
            servers = List.copyOf(servers);
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("an RDNSS option needs at least one server");
            }
        }

        public int type() {
            return TYPE;
        }
    }

    /** An option this codec does not interpret; kept whole (body after type and length) so it survives a round trip. */
    record Unknown(int type, Octets body) implements NdpOption {
        public Unknown {
            Objects.requireNonNull(body);
        }
    }

    private static void checkU32(String what, long v) {
        Octets.requireU32(what, v);
    }
}
