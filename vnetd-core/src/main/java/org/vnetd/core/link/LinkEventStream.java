package org.vnetd.core.link;

import java.time.Duration;
import java.util.Optional;

/**
 * Link and IPv4/IPv6 address events of one namespace, pulled one at a time. Only events after
 * {@link LinkEventSource#open()} are seen; a driver that must not miss a deletion opens the stream
 * before it reads the state.
 */
public interface LinkEventStream extends AutoCloseable {
    /** The next event, or empty if none arrived within {@code timeout}. */
    Optional<LinkEvent> next(Duration timeout);

    @Override
    void close();
}
