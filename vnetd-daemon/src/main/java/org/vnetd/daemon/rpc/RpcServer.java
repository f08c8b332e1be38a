package org.vnetd.daemon.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.activation.ActivatedListener;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.rpc.limit.FrameFormat;
import org.vnetd.daemon.rpc.limit.ListenerGuard;
import org.vnetd.daemon.rpc.limit.ListenerLimits;
import org.vnetd.daemon.rpc.limit.UnixListeners;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The two Unix sockets of the RPC: {@code vnetd.sock} (0600, every method) and
 * {@code vnetd-ro.sock} (0666, read-only methods). Frames are a 4-byte big-endian length and that
 * many bytes of JSON. Each socket has its own {@link ListenerLimits} (docs/rpc.md, "Limits"): the read-only
 * one, open to every local user, bounds what one user can make the daemon hold.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);

    public static final String SOCKET = "vnetd.sock";
    public static final String READ_ONLY_SOCKET = "vnetd-ro.sock";
    /** Read-write and read-only connections on loops of their own: a flood of the one never delays the other. */
    private final UnixListeners listeners;
    private final List<ListenerGuard> guards = new ArrayList<>();

    private RpcServer(UnixListeners listeners) {
        this.listeners = listeners;
    }

    /** Binds both sockets in {@code runDir}, replacing stale socket files left by a killed daemon. */
    public static RpcServer start(Path runDir, RpcMethodTable methods, EventHub events) {
        return start(runDir, methods, events, ServiceSockets.none());
    }

    /**
     * Serves the sockets systemd's socket units passed (named {@value #SOCKET} and {@value #READ_ONLY_SOCKET}),
     * and binds in {@code runDir} each one that was not passed.
     */
    public static RpcServer start(Path runDir, RpcMethodTable methods, EventHub events, ServiceSockets sockets) {
        return start(runDir, methods, events, ListenerLimits.readWriteSocket(RpcCodec.MAX_FRAME),
                ListenerLimits.readOnlySocket(), sockets);
    }

    /** {@link #start(Path, RpcMethodTable, EventHub)} with other limits (tests). */
    static RpcServer start(Path runDir, RpcMethodTable methods, EventHub events, ListenerLimits readWrite,
            ListenerLimits readOnly) {
        return start(runDir, methods, events, readWrite, readOnly, ServiceSockets.none());
    }

    private static RpcServer start(Path runDir, RpcMethodTable methods, EventHub events, ListenerLimits readWrite,
            ListenerLimits readOnly, ServiceSockets sockets) {
        RpcServer server = new RpcServer(new UnixListeners(2, "rpc-"));
        try {
            server.bind(runDir.resolve(SOCKET), "rw-------", false, readWrite, methods, events, sockets);
            server.bind(runDir.resolve(READ_ONLY_SOCKET), "rw-rw-rw-", true, readOnly, methods, events, sockets);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bind(Path path, String mode, boolean readOnly, ListenerLimits limits, RpcMethodTable methods,
            EventHub events, ServiceSockets sockets) {
        ServerBootstrap b = listeners.bootstrap(readOnly);
        ListenerGuard guard = new ListenerGuard(path.getFileName().toString(), limits, FrameFormat.JSON_RPC);
        guard.install(b, ch -> ch.pipeline()
                .addLast("length", new LengthFieldPrepender(4))
                .addLast("rpc", new RpcConnectionHandler(readOnly, methods, events, listeners.workers(),
                        limits.maxRequestsInFlight())));
        guards.add(guard);
        Optional<Channel> activated = ActivatedListener.serve(sockets, path.getFileName().toString(), b);
        if (activated.isPresent()) {
            listeners.served(activated.get());
            LOG.info("listening on {} ({}, socket-activated)", path, readOnly ? "read-only" : "read-write");
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot remove the stale socket " + path + ": " + e.getMessage(), e);
        }
        listeners.bind(b, path, mode);
        LOG.info("listening on {} ({})", path, readOnly ? "read-only" : "read-write");
    }

    /** The limits of each socket, read-write first. */
    List<ListenerGuard> guards() {
        return List.copyOf(guards);
    }

    @Override
    public void close() {
        listeners.close();
    }
}
