package org.vnetd.daemon.rpc;

import org.vnetd.core.rpc.Params;

/**
 * One request as a method's handler sees it: method, params, who asked on which socket, and the connection
 * it came on (for what outlives the call: event subscriptions).
 */
public record RpcCall(String method, Params params, Peer peer, boolean readOnlySocket, RpcConnection connection) {
    /** A call that needs nothing of its connection. */
    public RpcCall(String method, Params params, Peer peer, boolean readOnlySocket) {
        this(method, params, peer, readOnlySocket, RpcConnection.NONE);
    }
}
