package org.vnetd.daemon.rpc.limit;

import io.netty.channel.Channel;

/**
 * One connection's back-pressure, the same for both front-ends: at most {@code max} of its requests run at
 * once; at that many, and while the client does not read its replies, the connection is not read (instead of
 * queueing without bound), and it is read again once both allow. A connection with a request running is held
 * open against its {@link ListenerGuard}'s idle timeout. Touched only on the connection's event loop.
 */
public final class InFlightRequests {
    private final int max;
    private int running;

    public InFlightRequests(int max) {
        this.max = max;
    }

    /** A request starts running. */
    public void started(Channel ch) {
        if (running++ == 0) {
            ListenerGuard.holdOpen(ch);
        }
        if (running >= max) {
            ch.config().setAutoRead(false);
        }
    }

    /** A request finished (its reply not necessarily written yet: then call {@link #resumeIfPossible}). */
    public void finished(Channel ch) {
        if (--running == 0) {
            ListenerGuard.releaseHold(ch);
        }
    }

    /** Reads the connection again if it was stopped and neither limit holds it any more. */
    public void resumeIfPossible(Channel ch) {
        if (running < max && ch.isWritable() && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
            ch.read();
        }
    }

    /** From the handler's {@code channelWritabilityChanged}: a client not reading its replies is not read either. */
    public void writabilityChanged(Channel ch) {
        if (!ch.isWritable()) {
            ch.config().setAutoRead(false);
        } else {
            resumeIfPossible(ch);
        }
    }
}
