package org.vnetd.daemon.tftp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.socket.BoundToDevice;
import org.vnetd.core.tftp.Negotiation;
import org.vnetd.core.tftp.ReadTransfer;
import org.vnetd.core.tftp.TftpCodec;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.tftp.TftpErrorCode;
import org.vnetd.core.tftp.TftpPacket;
import org.vnetd.core.tftp.TftpPath;

/**
 * One network's TFTP server (libvirt's {@code <tftp root>}): port 69 on each configured address,
 * bound to the bridge, and one ephemeral port per transfer, all on the daemon's event loops.
 * Sockets are created by the thread that calls {@link #start} (listeners) or by the event loop
 * (transfers), so they live in that thread's network namespace.
 */
public final class TftpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TftpService.class);
    public static final int TFTP_PORT = 69;
    /** Transfers at once per network; more requests are dropped (the client's retry comes later). */
    public static final int DEFAULT_MAX_TRANSFERS = 64;
    private static final long STOP_WAIT_MILLIS = 3000;

    /** A port-69 socket: the address it listens on and the root it serves. */
    record Listener(InetSocketAddress address, RootDirectory root) {
    }

    private final TftpConfig config;
    private final EventLoopGroup group;
    private final int port;
    private final int maxTransfers;
    private final Map<InetSocketAddress, Transfer> transfers = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong busyDrops = new AtomicLong();
    private final List<Channel> channels = new ArrayList<>();
    private volatile boolean running;

    public TftpService(TftpConfig config, EventLoopGroup group) {
        this(config, group, TFTP_PORT, DEFAULT_MAX_TRANSFERS);
    }

    TftpService(TftpConfig config, EventLoopGroup group, int port, int maxTransfers) {
        this.config = Objects.requireNonNull(config);
        this.group = Objects.requireNonNull(group);
        this.port = port;
        this.maxTransfers = maxTransfers;
    }

    /**
     * Checks every root (it must exist and be a directory: ErrorCode.TFTP naming the path otherwise)
     * and listens; on failure nothing stays open.
     */
    public synchronized void start() {
        if (running) {
            throw new VnetException(ErrorCode.TFTP, "TFTP service of network '" + config.network() + "' is already running");
        }
        List<Listener> listeners = new ArrayList<>();
        for (TftpConfig.Served s : config.served()) {
            listeners.add(new Listener(new InetSocketAddress(s.address(), port), RootDirectory.open(config.network(), s.root())));
        }
        List<Channel> opened = new ArrayList<>();
        try {
            for (Listener l : listeners) {
                ChannelFuture f = new Bootstrap().group(group)
                        .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                        .option(BoundToDevice.OPTION, BoundToDevice.value(config.interfaceName(), ErrorCode.TFTP))
                        .handler(new RequestHandler(this, l))
                        .bind(l.address()).awaitUninterruptibly();
                if (!f.isSuccess()) {
                    throw new VnetException(ErrorCode.TFTP, "cannot listen for TFTP on " + Transfer.show(l.address()) + " (" + config.interfaceName()
                            + ") for network '" + config.network() + "': " + f.cause().getMessage(), f.cause());
                }
                opened.add(f.channel());
                LOG.info("TFTP server on {} ({}) serving {}", Transfer.show(l.address()), config.interfaceName(), l.root().real());
            }
        } catch (RuntimeException e) {
            for (Channel c : opened) {
                c.close().syncUninterruptibly();
            }
            throw e;
        }
        channels.addAll(opened);
        running = true;
    }

    /** Stops listening and ends every transfer (clients get ERROR 0). Idempotent. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        channels.clear();
        List<Transfer> live = List.copyOf(transfers.values());
        for (Transfer t : live) {
            t.abort("TFTP service stopped");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        for (Transfer t : live) {
            try {
                t.released().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                Channel ch = t.channel();
                LOG.warn("TFTP: transfer to {} did not end within {} ms; closing it", Transfer.show(t.peer()), STOP_WAIT_MILLIS);
                if (ch != null) {
                    ch.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.info("TFTP server of network '{}' stopped", config.network());
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    /** Transfers in progress. */
    public int activeTransfers() {
        return active.get();
    }

    public TftpConfig config() {
        return config;
    }

    /** A read request from {@code from} arrived on {@code listener}; runs on that listener's event loop. */
    void read(Channel listenerChannel, Listener listener, InetSocketAddress from, TftpPacket.ReadRequest r) {
        String shown = TftpCodec.printable(r.filename());
        if (!running) {
            return;
        }
        if (transfers.containsKey(from)) {
            // the client repeated its request before our first packet reached it; the transfer
            // already running for that TID answers it (by retransmission if need be)
            LOG.debug("TFTP: repeated request for '{}' from {} ignored", shown, Transfer.show(from));
            return;
        }
        if (active.incrementAndGet() > maxTransfers) {
            active.decrementAndGet();
            long n = busyDrops.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                LOG.warn("TFTP: {} transfers already running on network '{}': request for '{}' from {} dropped ({} so far)",
                        maxTransfers, config.network(), shown, Transfer.show(from), n);
            }
            return;
        }
        boolean handedOver = false;
        try {
            String relative = switch (TftpPath.relative(r.filename(), listener.root().configured())) {
                case TftpPath.Relative rel -> rel.relative();
                case TftpPath.Refused no -> {
                    refuse(listenerChannel, from, shown, no.code(), no.reason());
                    yield null;
                }
            };
            if (relative == null) {
                return;
            }
            RootDirectory.Opened opened;
            try {
                opened = listener.root().open(relative);
            } catch (RootDirectory.Refusal no) {
                refuse(listenerChannel, from, shown, no.code(), no.getMessage());
                return;
            }
            Transfer t;
            try {
                Negotiation n = Negotiation.of(r.options(), r.mode(), opened.size(), config.limits());
                t = new Transfer(this, from, TftpCodec.printable(opened.path().toString()), opened,
                        src -> new ReadTransfer(n, r.mode(), src, config.limits()));
            } catch (RuntimeException e) {
                closeQuietly(opened);
                throw e;
            }
            if (transfers.putIfAbsent(from, t) != null) {
                closeQuietly(opened); // the same client through another of our addresses: one transfer per TID
                return;
            }
            handedOver = true;
            if (!running) {
                // stop() ran meanwhile and may not have seen this transfer: it must not outlive the service
                t.abort("TFTP service stopped");
            }
            // the transfer's own port on the same address (RFC 1350's server TID), on this loop
            new Bootstrap().group(listenerChannel.eventLoop())
                    .channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET))
                    .option(BoundToDevice.OPTION, BoundToDevice.value(config.interfaceName(), ErrorCode.TFTP))
                    .handler(t)
                    .bind(new InetSocketAddress(listener.address().getAddress(), 0))
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            t.begin(f.channel());
                        } else {
                            LOG.warn("TFTP: no port for the transfer of '{}' to {}: {}", shown, Transfer.show(from),
                                    f.cause().getMessage());
                            t.release();
                        }
                    });
        } finally {
            if (!handedOver) {
                active.decrementAndGet();
            }
        }
    }

    /** A transfer is over (its channel closed, or it never got one): its slot is free again. */
    void finished(Transfer t) {
        if (transfers.remove(t.peer(), t)) {
            active.decrementAndGet();
        }
    }

    private static void closeQuietly(RootDirectory.Opened opened) {
        try {
            opened.channel().close();
        } catch (java.io.IOException e) {
            LOG.debug("TFTP: closing {}: {}", opened.path(), e.toString());
        }
    }

    private void refuse(Channel listenerChannel, InetSocketAddress from, String shown, TftpErrorCode code, String reason) {
        if (code == TftpErrorCode.FILE_NOT_FOUND) {
            // PXE loaders probe for files that usually do not exist (pxelinux.cfg/01-<mac>, <hex ip>…):
            // routine, not a warning
            LOG.info("TFTP: '{}' requested by {} on network '{}': {} ({})", shown, Transfer.show(from), config.network(), code.text(),
                    reason);
        } else {
            LOG.warn("TFTP: refused '{}' to {} on network '{}': {} ({})", shown, Transfer.show(from), config.network(), code.text(),
                    reason);
        }
        listenerChannel.writeAndFlush(Transfer.datagram(new TftpPacket.Error(code, code.text()), from));
    }

}
