package org.vnetd.core.rpc;

/** A server → client message without id; today only {@code event}. */
public record RpcNotification(String jsonrpc, String method, Object params) {
    public static RpcNotification event(NetworkEvent event) {
        return new RpcNotification(RpcCodec.VERSION, Methods.EVENT, event);
    }
}
