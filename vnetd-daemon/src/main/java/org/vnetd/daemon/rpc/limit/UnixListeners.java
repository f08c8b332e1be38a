package org.vnetd.daemon.rpc.limit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * The Unix sockets of one front-end (the JSON RPC's, libvirt's), the same for both: read-write and read-only
 * connections on event loops of their own (a flood of the one never delays the other), calls on virtual-thread
 * workers, each socket bound with its mode (the bind happens under the default umask, so nobody else can connect
 * before the mode is set) or passed by systemd, and on close the listeners closed, the loops and workers stopped
 * and the socket files it made removed (a socket unit's stay systemd's). Each socket's limits are its
 * {@link ListenerGuard}'s.
 */
public final class UnixListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnixListeners.class);

    private final EventLoopGroup readWriteLoops;
    private final EventLoopGroup readOnlyLoops;
    private final ExecutorService workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Path> bound = new ArrayList<>();

    /** {@code readWriteThreads} event loops for the read-write socket, one for the read-only one. */
    public UnixListeners(int readWriteThreads, String workerPrefix) {
        this.readWriteLoops = new MultiThreadIoEventLoopGroup(readWriteThreads, EpollIoHandler.newFactory());
        this.readOnlyLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(workerPrefix, 0).factory());
    }

    /** Where calls that may block run. */
    public ExecutorService workers() {
        return workers;
    }

    /** A server bootstrap on the socket's event loops, for its {@link ListenerGuard} to install its pipeline on. */
    public ServerBootstrap bootstrap(boolean readOnly) {
        return new ServerBootstrap()
                .group(readOnly ? readOnlyLoops : readWriteLoops)
                .option(ChannelOption.SO_BACKLOG, 1024);
    }

    /** Listens on {@code path} (which must not exist) and gives it {@code mode}; the file goes at {@link #close}. */
    public Channel bind(ServerBootstrap b, Path path, String mode) {
        Channel ch;
        try {
            ch = b.channel(EpollServerDomainSocketChannel.class).bind(new DomainSocketAddress(path.toFile())).sync().channel();
        } catch (Exception e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot listen on " + path + ": " + e.getMessage(), e);
        }
        listeners.add(ch);
        bound.add(path);
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot set mode " + mode + " on " + path + ": " + e.getMessage(), e);
        }
        return ch;
    }

    /** Serves a socket systemd's socket unit passed ({@code ActivatedListener}): closed at the end, its file left to systemd. */
    public void served(Channel activated) {
        listeners.add(activated);
    }

    @Override
    public void close() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : List.of(readWriteLoops, readOnlyLoops)) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
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
