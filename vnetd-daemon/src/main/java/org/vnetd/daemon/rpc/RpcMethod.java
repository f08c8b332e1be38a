package org.vnetd.daemon.rpc;

import java.util.Objects;

import org.vnetd.core.rpc.Request;

/**
 * One method of the JSON RPC (docs/rpc.md): its name, who may call it, where it runs and what it does. The
 * same shape as the libvirt front-end's {@link org.vnetd.daemon.libvirt.proc.Procedure}, keyed by name
 * instead of number, its params decoded once into the method's {@link Request} record
 * ({@link org.vnetd.core.rpc.RequestDecoder}) as libvirt's are read by the procedure's XDR reader.
 */
public record RpcMethod(String name, Access access, RunsOn runsOn, Handler handler) {

    /** Who may call a method. */
    public enum Access {
        /** Changes nothing: allowed on the read-only socket. */
        READ,
        /** Changes something: the read-write socket only. */
        WRITE
    }

    /**
     * Where a call runs: on its connection's event loop (quick, never waits for a lock held by a slow call)
     * or on a worker (a virtual thread: it may block). Decided per call, as a port's create is quick unless
     * it names its tap.
     */
    @FunctionalInterface
    public interface RunsOn {
        RunsOn EVENT_LOOP = request -> true;
        RunsOn WORKER = request -> false;

        boolean eventLoop(Request request);
    }

    /**
     * Serves a call. Returns the result (written as JSON; null means {@code {}}), or an {@link FdReply}, or
     * throws a {@link org.vnetd.core.error.VnetException} / {@link org.vnetd.core.rpc.RpcProtocolException}.
     */
    @FunctionalInterface
    public interface Handler {
        Object handle(RpcCall call) throws Exception;
    }

    public RpcMethod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(runsOn, "runsOn");
        Objects.requireNonNull(handler, "handler");
    }

    /** Serves a call from its request, of the type its method decodes to. */
    @FunctionalInterface
    public interface RequestHandler<R extends Request> {
        Object handle(R request, RpcCall call) throws Exception;
    }

    /** A method that runs on a worker. */
    public static RpcMethod onWorker(String name, Access access, Handler handler) {
        return new RpcMethod(name, access, RunsOn.WORKER, handler);
    }

    /** A method whose handler takes its {@code type} of request. */
    public static <R extends Request> RpcMethod of(String name, Access access, RunsOn runsOn, Class<R> type,
            RequestHandler<R> handler) {
        return new RpcMethod(name, access, runsOn, call -> handler.handle(type.cast(call.request()), call));
    }

    /** {@link #of} on a worker. */
    public static <R extends Request> RpcMethod onWorker(String name, Access access, Class<R> type, RequestHandler<R> handler) {
        return of(name, access, RunsOn.WORKER, type, handler);
    }
}
