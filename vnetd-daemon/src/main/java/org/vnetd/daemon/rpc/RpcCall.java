package org.vnetd.daemon.rpc;

import org.vnetd.core.rpc.Params;

/** One request as the dispatcher sees it: method, params, and who asked on which socket. */
public record RpcCall(String method, Params params, Peer peer, boolean readOnlySocket) {
}
