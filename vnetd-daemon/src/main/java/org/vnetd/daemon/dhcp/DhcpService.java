package org.vnetd.daemon.dhcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.DhcpServer;
import org.vnetd.core.dhcp.DhcpStats;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.activation.AdoptingBind;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.activation.SocketNames;
import org.vnetd.daemon.socket.BoundToDevice;
import org.vnetd.daemon.socket.ForcedReceiveBuffer;

/**
 * One network's DHCP server: the engine, its durable lease store ({@code leaseDir/<bridge>.leases}),
 * and a UDP socket on 0.0.0.0:67 bound to the bridge with SO_BINDTODEVICE. The socket is created on
 * the thread that calls {@link #start}, so it lives in that thread's network namespace.
 */
public final class DhcpService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpService.class);
    private static final long REAP_SECONDS = 60;
    /**
     * Receive buffer: a little larger than any datagram we accept, so a bigger one arrives truncated
     * but still oversize, and is dropped and counted rather than misread.
     */
    static final int RECEIVE_BUFFER = org.vnetd.core.dhcp.DhcpCodec.MAX_DATAGRAM + 1024;
    /** Unsigned address order, as the server's own listing. */
    private static final Comparator<DhcpLease> BY_ADDRESS = Comparator.comparingInt(l -> l.ip() ^ Integer.MIN_VALUE);

    private final Path leaseDir;
    private final Clock clock;
    private final EventLoopGroup shared;
    private final LeaseRecordJson json;
    private final ServiceSockets sockets;
    private EventLoopGroup group;
    private final List<Consumer<List<LeaseChange>>> listeners = new CopyOnWriteArrayList<>();
    private DurableLeaseStore store;
    private DhcpServer server;
    private Channel channel;
    private String socketName;
    private DhcpChannelHandler handler;
    private ScheduledFuture<?> reaper;
    private volatile Runnable healthListener = () -> { };
    private volatile DurableLeaseStore servingStore; // store, for problem()
    /** What {@link #leases()} reads without this service's lock (which a stop holds while the store closes). */
    private volatile Listing listing;

    private record Listing(DhcpServer server, DurableLeaseStore store) {
    }

    /**
     * @param leaseDir where lease files live (the daemon's state dir, e.g. /var/lib/vnetd/dhcp)
     * @param clock    lease times and expiry; the system UTC clock in the daemon
     */
    public DhcpService(Path leaseDir, Clock clock) {
        this(leaseDir, clock, null);
    }

    /**
     * @param shared an event loop group to serve on (the daemon's), or null for a group of its own.
     *               Serving on the daemon's loops saves a thread and an epoll set per network; the
     *               loop only decodes and answers (lease syncs run on the GroupCommitter's thread).
     */
    public DhcpService(Path leaseDir, Clock clock, EventLoopGroup shared) {
        this(leaseDir, clock, shared, new LeaseRecordJson());
    }

    /** @param json the lease records' JSON, one per daemon (see {@link LeaseRecordJson}) */
    public DhcpService(Path leaseDir, Clock clock, EventLoopGroup shared, LeaseRecordJson json) {
        this(leaseDir, clock, shared, json, ServiceSockets.none());
    }

    /** @param sockets where a socket kept across a daemon restart is found, and the new one is kept */
    public DhcpService(Path leaseDir, Clock clock, EventLoopGroup shared, LeaseRecordJson json, ServiceSockets sockets) {
        this.leaseDir = Objects.requireNonNull(leaseDir);
        this.clock = Objects.requireNonNull(clock);
        this.shared = shared;
        this.json = Objects.requireNonNull(json);
        this.sockets = Objects.requireNonNull(sockets);
    }

    /**
     * Called when {@link #problem()} changes (the lease log failed, or works again), on the thread that
     * saw it; must not block.
     */
    public void onHealthChange(Runnable listener) {
        healthListener = listener;
    }

    private void healthChanged() {
        healthListener.run();
    }

    /**
     * Why this server cannot serve now (its lease log cannot be written), or empty. Takes no lock of
     * this service: the store's threads call the health listener, and {@link #stop} holds it while it
     * waits for them.
     */
    public java.util.Optional<String> problem() {
        DurableLeaseStore s = servingStore;
        return s == null ? java.util.Optional.empty() : s.problem();
    }

    /**
     * Extra listener (DNS names): told the lease changes of each sync as one batch once they are durable,
     * on the lease log's sync thread after that sync's ACKs have left, holding none of the store's locks
     * ({@link DurableLeaseStore#onDurable}).
     */
    public void addLeaseListener(Consumer<List<LeaseChange>> listener) {
        listeners.add(listener);
    }

    /** Imports libvirt's {@code virbrN.status} into this network's store; call before {@link #start}. */
    public static int importLibvirtStatus(Path leaseDir, String bridge, Path statusFile, Clock clock) {
        List<DhcpLease> leases = LibvirtLeaseImport.read(statusFile);
        try (DurableLeaseStore s = DurableLeaseStore.open(leaseDir, bridge, clock)) {
            s.importLeases(leases);
        }
        return leases.size();
    }

    public synchronized void start(DhcpConfig config) {
        if (channel != null) {
            throw new VnetException(ErrorCode.DHCP, "DHCP server on " + config.interfaceName() + " is already running");
        }
        DurableLeaseStore s = DurableLeaseStore.open(leaseDir, config.interfaceName(), clock, json);
        s.onHealthChange(this::healthChanged);
        // listeners hear of a change once it is durable, never at the bind: a client whose ACK is
        // withheld (the log cannot be written) was never told it has the address, so it has no name
        s.onDurable(batch -> listeners.forEach(l -> l.accept(batch)));
        DhcpServer srv = new DhcpServer(config, s.load(), s::append);
        s.follow(srv::leaseCount, srv::leasesView); // the store keeps no second copy of the leases
        // one event loop thread per network; the lease log's syncs run beside it (GroupCommitter)
        EventLoopGroup g = shared != null ? shared : new MultiThreadIoEventLoopGroup(1,
                new io.netty.util.concurrent.DefaultThreadFactory("dhcp-" + config.interfaceName(), true), EpollIoHandler.newFactory());
        try {
            DhcpChannelHandler h = new DhcpChannelHandler(srv, s, clock);
            Bootstrap b = new Bootstrap().group(g)
                    .option(ChannelOption.SO_BROADCAST, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_RCVBUF, ForcedReceiveBuffer.DHCP_BYTES)
                    .option(ForcedReceiveBuffer.OPTION, ForcedReceiveBuffer.DHCP_BYTES)
                    .option(ChannelOption.SO_SNDBUF, 4 << 20)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                    .option(ChannelOption.MAX_MESSAGES_PER_READ, 1024)
                    .option(BoundToDevice.OPTION, BoundToDevice.value(config.interfaceName(), ErrorCode.DHCP))
                    .handler(h);
            // the socket is made and bound on this thread: it belongs to this thread's network namespace, and the start
            // does not wait for the event loop; one systemd kept across a restart holds the requests that came meanwhile
            Channel ch = AdoptingBind.bindHere(sockets, SocketNames.dhcp(config.interfaceName()), b, new InetSocketAddress("0.0.0.0", 67),
                    () -> LinuxSocket.newSocketDgram(InternetProtocolFamily.IPv4), EpollDatagramChannel::new, -1);
            this.channel = ch;
            this.socketName = SocketNames.dhcp(config.interfaceName());
            this.group = g;
            this.handler = h;
            this.store = s;
            this.servingStore = s;
            this.server = srv;
            this.listing = new Listing(srv, s);
            this.reaper = ch.eventLoop().scheduleAtFixedRate(this::reap, REAP_SECONDS, REAP_SECONDS, TimeUnit.SECONDS);
            LOG.info("DHCP server on {} ({}), {} lease(s) restored", config.interfaceName(), config.subnet(), srv.leases().size());
        } catch (IOException | RuntimeException e) {
            if (g != shared) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            s.close();
            throw new VnetException(ErrorCode.DHCP, "cannot start DHCP server on " + config.interfaceName() + ": " + e.getMessage(), e);
        }
    }

    /** New ranges, hosts, options; leases are kept. */
    public synchronized void reconfigure(DhcpConfig config) {
        requireRunning().reconfigure(config);
    }

    /** Stops serving, writes every pending lease change, compacts the store. Idempotent. */
    public synchronized void stop() {
        if (channel == null) {
            return;
        }
        reaper.cancel(false);
        channel.close().syncUninterruptibly();
        sockets.closed(socketName);
        // the loop may still be running this server's work (a read, the reaper's sync); let it
        // finish before the store closes
        if (group != shared) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        } else {
            channel.eventLoop().submit(() -> { }).syncUninterruptibly();
        }
        servingStore = null;
        try {
            store.close();
        } finally {
            listing = null;
            group = null;
            channel = null;
            store = null;
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Ends the leases of {@code mac} now (port deletion with releaseLease); returns how many. */
    public synchronized int releaseMac(org.vnetd.core.net.MacAddress mac) {
        return requireRunning().releaseMac(mac);
    }

    public synchronized boolean isRunning() {
        return channel != null;
    }

    /**
     * The leases clients hold, ordered by address: bound, and told (a client is acknowledged only once its
     * lease's record is durable, and listed once the ACK has left). A binding whose ACK is still held, or was
     * withheld because the lease log could not be written, is left out: that client was never told it has
     * the address. Takes no lock: neither a sync stalled on the disk nor a stop waits for it (RPC event loops
     * call this).
     */
    public List<DhcpLease> leases() {
        Listing l = listing;
        if (l == null) {
            throw new VnetException(ErrorCode.DHCP, "DHCP server is not running");
        }
        List<DhcpLease> out = l.store().repliedOf(l.server().leasesView());
        out.sort(BY_ADDRESS);
        return out;
    }

    /** The serving lease store (tests). */
    DurableLeaseStore store() {
        Listing l = listing;
        return l == null ? null : l.store();
    }

    public synchronized DhcpStats stats() {
        return requireRunning().stats();
    }

    /** Lease-log group commit figures (diagnostics). */
    public synchronized SyncStats syncStats() {
        requireRunning();
        return handler.syncStats();
    }

    private DhcpServer requireRunning() {
        if (server == null) {
            throw new VnetException(ErrorCode.DHCP, "DHCP server is not running");
        }
        return server;
    }

    private void reap() {
        DhcpServer srv = server;
        if (srv != null) {
            List<DhcpLease> gone = srv.reapExpired(clock.instant());
            if (!gone.isEmpty()) {
                LOG.info("DHCP: {} expired lease(s) reaped", gone.size());
                DurableLeaseStore s = store;
                if (group != shared) {
                    s.sync();
                } else {
                    // never wait for the disk on the daemon's shared loop; after a close the store
                    // has nothing pending and sync() returns at once
                    Thread.ofVirtual().name("dhcp-reap-sync").start(() -> syncQuietly(s));
                }
            }
        }
    }

    private static void syncQuietly(DurableLeaseStore s) {
        try {
            s.sync();
        } catch (RuntimeException e) {
            LOG.error("DHCP: writing reaped leases failed: {}", e.getMessage());
        }
    }
}
