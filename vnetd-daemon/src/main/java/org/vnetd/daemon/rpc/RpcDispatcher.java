package org.vnetd.daemon.rpc;

/**
 * Serves one method. Runs on a virtual thread, never on an event loop, so it may block. Returns the
 * result object (serialized as JSON; null means {@code {}}) or throws a
 * {@link org.vnetd.core.error.VnetException} / {@link org.vnetd.core.rpc.RpcProtocolException}.
 */
@FunctionalInterface
public interface RpcDispatcher {
    Object call(RpcCall call) throws Exception;
}
