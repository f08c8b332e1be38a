package org.vnetd.daemon.rpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.rpc.NetworkEvent;

/**
 * Fans events out to subscribed connections. Publishing never blocks: each subscriber's
 * {@code deliver} only queues a write, and a subscriber that cannot keep up is dropped by its
 * connection (see {@link RpcConnectionHandler}).
 */
public final class EventHub implements Consumer<NetworkEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    /** A filter: null fields match everything; {@code network} matches a name or a uuid. */
    public record Filter(String network, String event) {
        boolean matches(NetworkEvent e) {
            return (network == null || network.equals(e.network()) || network.equalsIgnoreCase(e.uuid()))
                    && (event == null || event.equals(e.event()));
        }
    }

    private record Subscription(Filter filter, Consumer<NetworkEvent> sink) {
    }

    private final Map<Long, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** Returns a handle that {@link #unsubscribe(long)} takes. */
    public long subscribe(Filter filter, Consumer<NetworkEvent> sink) {
        long id = ids.incrementAndGet();
        subscriptions.put(id, new Subscription(filter, sink));
        return id;
    }

    public void unsubscribe(long id) {
        subscriptions.remove(id);
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    @Override
    public void accept(NetworkEvent event) {
        LOG.debug("event {} {} {}", event.network(), event.event(), event.detail());
        for (Subscription s : subscriptions.values()) {
            if (s.filter().matches(event)) {
                try {
                    s.sink().accept(event);
                } catch (RuntimeException e) {
                    // one broken subscriber must not keep the event from the others
                    LOG.warn("dropping an event for a subscriber: {}", e.toString());
                }
            }
        }
    }
}
