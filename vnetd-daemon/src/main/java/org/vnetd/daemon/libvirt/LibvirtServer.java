package org.vnetd.daemon.libvirt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.activation.ActivatedListener;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.libvirt.proc.ProcedureTable;
import org.vnetd.daemon.libvirt.proc.Session;
import org.vnetd.daemon.libvirt.wire.MessageCodec;
import org.vnetd.daemon.libvirt.wire.MessageDecoder;
import org.vnetd.daemon.rpc.limit.FrameFormat;
import org.vnetd.daemon.rpc.limit.ListenerGuard;
import org.vnetd.daemon.rpc.limit.ListenerLimits;
import org.vnetd.daemon.rpc.limit.UnixListeners;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;

/**
 * libvirt's remote protocol on the sockets where libvirt's clients look for the network daemon:
 * {@code virtnetworkd-sock} (0600, read-write, root only) and {@code virtnetworkd-sock-ro} (0666,
 * read-only). A socket path that a live daemon answers on (libvirt's own virtnetworkd) is left alone.
 * Each socket has the JSON RPC's {@link ListenerLimits} (connections, frame size, buffered bytes, frame
 * deadline, idle time, unread replies, calls in flight) and event loops of its own, so a flood on the
 * read-only socket never delays the read-write one.
 */
public final class LibvirtServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtServer.class);

    public static final String SOCKET = "virtnetworkd-sock";
    public static final String READ_ONLY_SOCKET = "virtnetworkd-sock-ro";
    /** Where libvirt's clients look for virtnetworkd when vnetd runs with its standard run dir. */
    public static final Path STANDARD_DIR = Path.of("/run/libvirt");

    private final UnixListeners listeners;
    /** The sockets served, bound or passed by systemd. */
    private final List<Path> paths = new ArrayList<>();

    private LibvirtServer(UnixListeners listeners) {
        this.listeners = listeners;
    }

    /** The directory of the sockets: libvirt's own for the standard run dir, else {@code RUN_DIR/libvirt}. */
    public static Path socketDir(Path runDir, Path standardRunDir) {
        return runDir.equals(standardRunDir) ? STANDARD_DIR : runDir.resolve("libvirt");
    }

    /**
     * Binds both sockets in {@code dir} (created if missing), skipping any a live libvirt daemon holds;
     * {@code closed} hears of each connection that ends (to drop its event callbacks).
     */
    public static LibvirtServer start(Path dir, ProcedureTable procedures, Consumer<Session> closed) {
        return start(dir, procedures, closed, ServiceSockets.none());
    }

    /**
     * As {@link #start(Path, ProcedureTable, Consumer)}, serving the sockets systemd's socket units passed
     * (named {@value #SOCKET} and {@value #READ_ONLY_SOCKET}) instead of binding them.
     */
    public static LibvirtServer start(Path dir, ProcedureTable procedures, Consumer<Session> closed, ServiceSockets sockets) {
        // the read-write socket takes libvirt's own message limit; the read-only one, whose calls only name
        // things, the JSON RPC's small read-only frames
        return start(dir, procedures, closed, ListenerLimits.readWriteSocket(MessageCodec.MAX_MESSAGE), ListenerLimits.readOnlySocket(),
                sockets);
    }

    /** {@link #start(Path, ProcedureTable, Consumer)} with other limits (tests). */
    static LibvirtServer start(Path dir, ProcedureTable procedures, Consumer<Session> closed, ListenerLimits readWrite,
            ListenerLimits readOnly) {
        return start(dir, procedures, closed, readWrite, readOnly, ServiceSockets.none());
    }

    private static LibvirtServer start(Path dir, ProcedureTable procedures, Consumer<Session> closed, ListenerLimits readWrite,
            ListenerLimits readOnly, ServiceSockets sockets) {
        LibvirtServer server = new LibvirtServer(new UnixListeners(1, "libvirt-"));
        try {
            Files.createDirectories(dir);
            server.bind(dir.resolve(SOCKET), "rw-------", false, readWrite, procedures, closed, sockets);
            server.bind(dir.resolve(READ_ONLY_SOCKET), "rw-rw-rw-", true, readOnly, procedures, closed, sockets);
            return server;
        } catch (IOException e) {
            server.close();
            throw new VnetException(ErrorCode.STATE_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The sockets actually served (a held one is not among them). */
    public List<Path> paths() {
        return List.copyOf(paths);
    }

    private void bind(Path path, String mode, boolean readOnly, ListenerLimits limits, ProcedureTable procedures,
            Consumer<Session> closed, ServiceSockets sockets) {
        ServerBootstrap b = bootstrap(readOnly, limits, procedures, closed, path);
        Optional<Channel> activated = ActivatedListener.serve(sockets, path.getFileName().toString(), b);
        if (activated.isPresent()) {
            listeners.served(activated.get());
            paths.add(path);
            LOG.info("serving libvirt's protocol on {} ({}, socket-activated)", path,
                    readOnly ? "read-only" : "read-write");
            return;
        }
        if (heldByLiveDaemon(path)) {
            LOG.warn("{} is served by a running libvirt daemon: vnetd leaves it alone (stop virtnetworkd to let vnetd serve "
                    + "libvirt's clients there)", path);
            return;
        }
        listeners.bind(b, path, mode);
        paths.add(path);
        LOG.info("serving libvirt's protocol on {} ({})", path, readOnly ? "read-only" : "read-write");
    }

    private ServerBootstrap bootstrap(boolean readOnly, ListenerLimits limits, ProcedureTable procedures, Consumer<Session> closed,
            Path path) {
        ServerBootstrap b = listeners.bootstrap(readOnly);
        // the guard sets the write-buffer water marks (from its unread-reply limit); its frame decoder
        // (libvirt's length word, counting itself, taken off) hands MessageDecoder header and payload
        new ListenerGuard(path.getFileName().toString(), limits, FrameFormat.LIBVIRT_REMOTE).install(b, ch -> ch.pipeline()
                .addLast("message", MessageDecoder.INSTANCE)
                .addLast("libvirt", new LibvirtConnectionHandler(readOnly, procedures, listeners.workers(), limits.maxRequestsInFlight(), closed)));
        return b;
    }

    /** A socket someone answers on is in use; one nobody answers on was left by a daemon that died, and goes. */
    static boolean heldByLiveDaemon(Path path) {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (ConnectException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException d) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot remove the stale socket " + path + ": " + d.getMessage(), d);
            }
            return false;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot check whether " + path + " is in use: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        listeners.close();
    }
}
