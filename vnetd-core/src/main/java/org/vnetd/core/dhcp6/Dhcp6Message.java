package org.vnetd.core.dhcp6;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A client/server DHCPv6 message (RFC 8415 §8): type, 24-bit transaction id, options. */
public record Dhcp6Message(Dhcp6MessageType type, int transactionId, List<Dhcp6Option> options) {
    public Dhcp6Message {
        Objects.requireNonNull(type, "type");
        if (transactionId < 0 || transactionId > 0xffffff) {
            throw new IllegalArgumentException("transaction id " + transactionId + " does not fit 24 bits");
        }
        options = List.copyOf(options);
    }

    /** The first option of {@code kind}, if any. (Loops, not streams: these run several times per message.) */
    public <T extends Dhcp6Option> Optional<T> option(Class<T> kind) {
        for (Dhcp6Option o : options) {
            if (kind.isInstance(o)) {
                return Optional.of(kind.cast(o));
            }
        }
        return Optional.empty();
    }

    public <T extends Dhcp6Option> List<T> all(Class<T> kind) {
        List<T> out = null;
        for (Dhcp6Option o : options) {
            if (kind.isInstance(o)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(kind.cast(o));
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    public Optional<Duid> clientId() {
        return option(Dhcp6Option.ClientId.class).map(Dhcp6Option.ClientId::duid);
    }

    public Optional<Duid> serverId() {
        return option(Dhcp6Option.ServerId.class).map(Dhcp6Option.ServerId::duid);
    }
}
