package org.vnetd.daemon.libvirt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

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

    private final EventLoopGroup readWriteLoops;
    private final EventLoopGroup readOnlyLoops;
    private final ExecutorService workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();
    /** The socket files this server made (a socket unit's stay systemd's). */
    private final List<Path> bound = new ArrayList<>();

    private LibvirtServer(EventLoopGroup readWriteLoops, EventLoopGroup readOnlyLoops, ExecutorService workers) {
        this.readWriteLoops = readWriteLoops;
        this.readOnlyLoops = readOnlyLoops;
        this.workers = workers;
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
        EventLoopGroup readWriteLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup readOnlyLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("libvirt-", 0).factory());
        LibvirtServer server = new LibvirtServer(readWriteLoops, readOnlyLoops, workers);
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
            listeners.add(activated.get());
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
        Channel ch;
        try {
            ch = b.channel(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path.toFile())).sync().channel();
        } catch (Exception e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot listen on " + path + ": " + e.getMessage(), e);
        }
        listeners.add(ch);
        paths.add(path);
        bound.add(path);
        try {
            // bound with the default umask (no write bit for others, so nobody else can connect yet)
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot set mode " + mode + " on " + path + ": " + e.getMessage(), e);
        }
        LOG.info("serving libvirt's protocol on {} ({})", path, readOnly ? "read-only" : "read-write");
    }

    private ServerBootstrap bootstrap(boolean readOnly, ListenerLimits limits, ProcedureTable procedures, Consumer<Session> closed,
            Path path) {
        ServerBootstrap b = new ServerBootstrap()
                .group(readOnly ? readOnlyLoops : readWriteLoops)
                .option(ChannelOption.SO_BACKLOG, 1024);
        // the guard sets the write-buffer water marks (from its unread-reply limit); its frame decoder
        // (libvirt's length word, counting itself, taken off) hands MessageDecoder header and payload
        new ListenerGuard(path.getFileName().toString(), limits, FrameFormat.LIBVIRT_REMOTE).install(b, ch -> ch.pipeline()
                .addLast("message", MessageDecoder.INSTANCE)
                .addLast("libvirt", new LibvirtConnectionHandler(readOnly, procedures, workers, limits.maxRequestsInFlight(), closed)));
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
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        readWriteLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        readOnlyLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdown();
        for (Path p : bound) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", p, e.getMessage());
            }
        }
    }
}
