package org.vnetd.daemon.rpc;

import org.vnetd.core.rpc.Request;

/**
 * One request as a method's handler sees it: method, its params decoded ({@link org.vnetd.core.rpc.RequestDecoder}),
 * who asked on which socket, and the connection it came on (for what outlives the call: event subscriptions).
 */
public record RpcCall(String method, Request request, Peer peer, boolean readOnlySocket, RpcConnection connection) {
    /** A call that needs nothing of its connection. */
    public RpcCall(String method, Request request, Peer peer, boolean readOnlySocket) {
        this(method, request, peer, readOnlySocket, RpcConnection.NONE);
    }
}
