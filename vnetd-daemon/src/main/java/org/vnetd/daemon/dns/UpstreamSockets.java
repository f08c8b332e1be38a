package org.vnetd.daemon.dns;

import java.time.Duration;

import io.netty.channel.EventLoopGroup;

/**
 * The upstream DNS client of the whole daemon, shared by every network's forwarder: one limit on the
 * upstream queries in flight for all networks, as a resolver's would be. It holds no socket of its own;
 * each upstream query opens one (a fresh random port, RFC 5452) on the daemon's event loops.
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

    /** The client, made on first use. */
    synchronized UpstreamClient get() {
        if (client == null) {
            client = new UpstreamClient(group, ATTEMPT_TIMEOUT, TOTAL_TIMEOUT);
        }
        return client;
    }

    /** Ends the queries in flight, which complete with an error (their clients get SERVFAIL). */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
