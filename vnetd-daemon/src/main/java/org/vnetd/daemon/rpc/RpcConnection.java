package org.vnetd.daemon.rpc;

/** What a handler may do to the connection its call came on. */
public interface RpcConnection {
    /** A connection that takes no subscriptions (calls made outside a socket). */
    RpcConnection NONE = filter -> {
        throw new IllegalStateException("this call has no connection to deliver events on");
    };

    /**
     * Delivers the events {@code filter} matches on this connection until it closes; registered when this
     * returns, so the call's reply is the "subscribed" signal.
     */
    void subscribe(EventHub.Filter filter);
}
