package org.vnetd.daemon.dns;

import java.time.Duration;

import io.netty.channel.EventLoopGroup;

/**
 * The upstream DNS sockets of the whole daemon, shared by every network's forwarder. They all live in
 * the daemon's network namespace and send to the same resolvers, so one set serves a hundred networks:
 * a network start then binds only its own listeners (8 sockets fewer per start), and the query-id space
 * and the random source ports are shared as a resolver's would be. Opened on first use (the first
 * network with DNS), on the thread of that start, so in that thread's namespace.
 */
public final class UpstreamSockets implements AutoCloseable {
    /** Per upstream server, then the next; the total stays under glibc's and dig's 5 s. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1500);
    static final Duration TOTAL_TIMEOUT = Duration.ofMillis(3000);

    private final EventLoopGroup group;
    private UpstreamClient client;

    public UpstreamSockets(EventLoopGroup group) {
        this.group = group;
    }

    /** The open client; opens it on first use. A failure leaves nothing open and is retried next time. */
    synchronized UpstreamClient get() {
        if (client == null) {
            UpstreamClient c = new UpstreamClient(group, ATTEMPT_TIMEOUT, TOTAL_TIMEOUT);
            try {
                c.open();
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
            client = c;
        }
        return client;
    }

    /** Closes the sockets; queries in flight complete with an error (their clients get SERVFAIL). */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
