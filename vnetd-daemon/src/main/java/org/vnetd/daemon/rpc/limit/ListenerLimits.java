package org.vnetd.daemon.rpc.limit;

import java.time.Duration;

/**
 * What one listening socket lets its clients hold: connections (in all, and per peer), the size of one
 * request frame, request bytes buffered across all of its connections while their frames are incomplete,
 * requests of one connection running at once, reply bytes a connection may leave unread, how long a started
 * frame may take to arrive, and how long a connection may sit idle. {@link ListenerGuard} enforces them, all
 * but {@code maxRequestsInFlight}, which only the protocol's handler can count.
 *
 * @param maxConnections        open connections of the listener; more are refused at once
 * @param maxConnectionsPerPeer open connections of one peer (a uid on a Unix socket, an address on TCP);
 *                              root is capped only by {@code maxConnections}
 * @param maxFrameBytes         largest request payload (after the 4-byte length); a longer announced frame
 *                              is refused before any of it is buffered
 * @param maxBufferedBytes      bytes of incomplete frames held for all connections together; the connection
 *                              whose bytes would exceed it is closed
 * @param maxRequestsInFlight   requests of one connection that may run at once; with that many running, the
 *                              protocol's handler stops reading the connection until one finishes (each holds
 *                              its parsed request, several times the frame's size)
 * @param maxUnreadReplyBytes   reply bytes a connection may leave unread before another reply closes it
 * @param frameTimeout          a frame must arrive completely within this time of its first byte
 * @param idleTimeout           a connection with nothing read or written for this long, no request running
 *                              and no subscription is closed; {@link Duration#ZERO} never closes one
 */
public record ListenerLimits(int maxConnections, int maxConnectionsPerPeer, int maxFrameBytes, long maxBufferedBytes,
        int maxRequestsInFlight, long maxUnreadReplyBytes, Duration frameTimeout, Duration idleTimeout) {

    public ListenerLimits {
        if (maxConnections < 1 || maxConnectionsPerPeer < 1 || maxConnectionsPerPeer > maxConnections) {
            throw new IllegalArgumentException("need 1 <= maxConnectionsPerPeer (" + maxConnectionsPerPeer
                    + ") <= maxConnections (" + maxConnections + ")");
        }
        if (maxFrameBytes < 1 || maxBufferedBytes < maxFrameBytes + (long) FrameFormat.HEADER_BYTES) {
            throw new IllegalArgumentException("need 1 <= maxFrameBytes (" + maxFrameBytes
                    + ") and room for one whole frame in maxBufferedBytes (" + maxBufferedBytes + ")");
        }
        if (maxRequestsInFlight < 1 || maxUnreadReplyBytes < 1 || frameTimeout.isNegative() || frameTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("need a positive maxRequestsInFlight, maxUnreadReplyBytes and frameTimeout, and idleTimeout >= 0");
        }
    }

    /**
     * A socket anyone may connect to (mode 0666) that serves only small read-only requests (a name, a uuid, a
     * MAC). Bounds what one local user makes the daemon hold to 32 connections, each with at most 2 requests
     * of at most 4 KiB running and 256 KiB of unread replies beyond the reply being written, and 4 MiB of
     * incomplete requests for all users together. Frame size and requests running are small because what a
     * running request holds (its frame, its parsed tree, its reply) outlives the daemon's small young
     * generation and is promoted: pipelined by one user on all its connections, larger ones fill the old
     * generation with garbage, and every page it touches stays in RSS (issue 25).
     */
    public static ListenerLimits readOnlySocket() {
        return new ListenerLimits(256, 32, 4 * 1024, 4L * 1024 * 1024, 2, 256 * 1024,
                Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /**
     * A root-only socket (mode 0600) whose requests carry network XML up to {@code maxFrameBytes}. Its
     * clients can already do anything, so these limits only keep a runaway client from using up the
     * daemon's descriptors and memory.
     */
    public static ListenerLimits readWriteSocket(int maxFrameBytes) {
        return new ListenerLimits(1024, 1024, maxFrameBytes, 4L * (maxFrameBytes + FrameFormat.HEADER_BYTES), 16,
                64L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofHours(1));
    }

    public ListenerLimits withFrameTimeout(Duration timeout) {
        return new ListenerLimits(maxConnections, maxConnectionsPerPeer, maxFrameBytes, maxBufferedBytes,
                maxRequestsInFlight, maxUnreadReplyBytes, timeout, idleTimeout);
    }

    public ListenerLimits withIdleTimeout(Duration timeout) {
        return new ListenerLimits(maxConnections, maxConnectionsPerPeer, maxFrameBytes, maxBufferedBytes,
                maxRequestsInFlight, maxUnreadReplyBytes, frameTimeout, timeout);
    }
}
