package org.vnetd.core.firewall;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.vnetd.core.net.IpPrefix;

/** One condition of a rule; a rule matches when all its conditions do. */
public sealed interface Match {
    /** The packet came in through this interface (nft iifname, iptables -i). */
    record InInterface(String name) implements Match {
        public InInterface {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The packet leaves through this interface (nft oifname, iptables -o). */
    record OutInterface(String name) implements Match {
        public OutInterface {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Source address inside this subnet. */
    record Source(IpPrefix subnet) implements Match {
        public Source {
            Objects.requireNonNull(subnet, "subnet");
        }
    }

    /** Destination address inside (or, negated, outside) this subnet. */
    record Destination(IpPrefix subnet, boolean negated) implements Match {
        public Destination {
            Objects.requireNonNull(subnet, "subnet");
        }
    }

    /** Layer 4 protocol, e.g. {@code tcp}, without a port. */
    record Protocol(String name) implements Match {
        public Protocol {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Layer 4 protocol and destination port. */
    record DestinationPort(String protocol, int port) implements Match {
        public DestinationPort {
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /**
     * Connection tracking state, e.g. {@code established, related}. The states are kept sorted so a
     * plan serializes the same way in every JVM ({@code Set.of} iterates in a per-run random order,
     * which made recorded status files differ from run to run).
     */
    record ConnState(Set<String> states) implements Match {
        public ConnState {
            states = Collections.unmodifiableSortedSet(new TreeSet<>(states));
        }
    }
}
