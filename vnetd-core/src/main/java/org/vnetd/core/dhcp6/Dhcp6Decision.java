package org.vnetd.core.dhcp6;

import java.util.List;
import java.util.Objects;

/** What the server does with one message: answer it (after making {@code changes} durable), or ignore it. */
public sealed interface Dhcp6Decision {
    /** {@code bound}: leases created or extended; {@code ended}: leases released or declined. */
    record Answer(Dhcp6Message message, List<Dhcp6Lease> bound, List<Dhcp6Lease> ended) implements Dhcp6Decision {
        public Answer {
            Objects.requireNonNull(message, "message");
            bound = List.copyOf(bound);
            ended = List.copyOf(ended);
        }

        public boolean changesLeases() {
            return !bound.isEmpty() || !ended.isEmpty();
        }
    }

    record Ignore(String reason) implements Dhcp6Decision {
    }
}
