package org.vnetd.core.firewall;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/** What happens to a packet that matches a rule. */
public sealed interface Verdict {
    record Accept() implements Verdict {
    }

    /** Discard silently, final in every table. */
    record Drop() implements Verdict {
    }

    /** Refuse with an ICMP port unreachable (iptables REJECT's default). */
    record Reject() implements Verdict {
    }

    /** Leave this chain: used to exempt broadcast/multicast from masquerading. */
    record Return() implements Verdict {
    }

    /** Masquerade to the outgoing interface's address, optionally limiting source ports. */
    record Masquerade(Optional<PortRange> ports) implements Verdict {
        public Masquerade {
            Objects.requireNonNull(ports, "ports");
        }
    }

    /** Source NAT to an address (range) given in {@code <nat><address/></nat>}. */
    record Snat(InetAddress start, Optional<InetAddress> end, Optional<PortRange> ports) implements Verdict {
        public Snat {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(ports, "ports");
        }
    }

    /**
     * Fill in the UDP checksum of DHCP replies (vhost-net leaves it partial; some guests drop them).
     * nft sets it to 0 ("none"), iptables' CHECKSUM target computes it: both are accepted by guests.
     */
    record ChecksumFill() implements Verdict {
    }
}
