package org.vnetd.daemon.ra;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ra.RaConfig;
import org.vnetd.core.ra.RaStats;
import org.vnetd.core.ra.RouterAdvertiser;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.activation.SocketNames;

/**
 * The router advertisements of one bridge: a thread of its own waits on the raw ICMPv6 socket for
 * solicitations until the next advertisement is due, and sends what the {@link RouterAdvertiser}
 * engine says. A failed send (the bridge has no usable link-local address yet: no port has carrier)
 * is counted and logged, and the schedule goes on; the guest that comes up solicits and is answered.
 */
public final class RaService {
    private static final Logger LOG = LoggerFactory.getLogger(RaService.class);
    /** How long a stop waits for the loop; it wakes at least this often. */
    private static final int WAKE_MILLIS = 200;

    private final RaConfig config;
    private final LongSupplier monotonicMillis;
    private final ServiceSockets sockets;
    private final AtomicReference<RaStats> stats = new AtomicReference<>(RaStats.NONE);
    private volatile boolean running;
    private Icmp6Socket socket;
    private RouterAdvertiser engine;
    private Thread loop;
    private volatile long sendFailures;
    /** Solicitations the kernel dropped on a full receive queue, as the socket last reported (loop thread writes). */
    private volatile long overflowed;

    public RaService(RaConfig config) {
        this(config, ServiceSockets.none());
    }

    /** @param sockets the sockets systemd keeps across a daemon restart */
    public RaService(RaConfig config, ServiceSockets sockets) {
        this(config, () -> System.nanoTime() / 1_000_000, sockets);
    }

    RaService(RaConfig config, LongSupplier monotonicMillis, ServiceSockets sockets) {
        this.config = config;
        this.monotonicMillis = monotonicMillis;
        this.sockets = sockets;
    }

    /** Opens the socket (a failure is a {@link VnetException} with ErrorCode.KERNEL) and starts advertising. */
    public synchronized void start() {
        String name = SocketNames.ra(config.interfaceName());
        OptionalInt passed = sockets.take(name);
        socket = Icmp6Socket.open(config.interfaceName(), passed);
        if (passed.isEmpty()) {
            sockets.opened(name, socket.fd());
        }
        engine = new RouterAdvertiser(config, socket.mac(), ThreadLocalRandom.current());
        engine.start(monotonicMillis.getAsLong());
        running = true;
        loop = Thread.ofPlatform().daemon().name("vnetd-ra-" + config.interfaceName()).start(this::run);
    }

    private void run() {
        while (running) {
            try {
                long now = monotonicMillis.getAsLong();
                Optional<byte[]> due = engine.poll(now);
                if (due.isPresent() && !send(due.get())) {
                    engine.sendFailed();
                }
                long wait = Math.clamp(engine.nextDue() - monotonicMillis.getAsLong(), 0, WAKE_MILLIS);
                Icmp6Socket.Received r = socket.receive((int) wait);
                if (r != null) {
                    if (r.overflowed() > overflowed) {
                        LOG.debug("router advertisements on {}: the receive queue overflowed, {} datagram(s) dropped so far",
                                config.interfaceName(), r.overflowed());
                        overflowed = r.overflowed();
                    }
                    var verdict = engine.receive(socket.copy(r.length()), r.length(), r.hopLimit(), r.source(),
                            monotonicMillis.getAsLong());
                    if (verdict instanceof RouterAdvertiser.Verdict.Dropped d) {
                        LOG.debug("router advertisements on {}: dropped a datagram from {}: {}", config.interfaceName(),
                                r.source().getHostAddress(), d.reason());
                    }
                }
                stats.set(engine.stats());
            } catch (VnetException e) {
                LOG.warn("{}", e.getMessage());
                sleepQuietly();
            }
        }
    }

    private boolean send(byte[] advertisement) {
        try {
            socket.sendAllNodes(advertisement);
            return true;
        } catch (VnetException e) {
            sendFailures++;
            LOG.debug("{}", e.getMessage());
            return false;
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(WAKE_MILLIS); // a failing socket call must not spin the loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops advertising; with {@code withdraw} (the network goes away) first tells the guests with
     * router lifetime 0 that this router is no longer a default router (RFC 4861 §6.2.5). A daemon
     * that exits leaves the network to the next one and withdraws nothing.
     */
    public synchronized void stop(boolean withdraw) {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loop.isAlive()) {
            // its socket stays open rather than freed under a thread that may still use it
            LOG.warn("router advertisements on {}: the loop did not stop within 2 s", config.interfaceName());
            return;
        }
        if (withdraw) {
            send(engine.finalAdvertisement());
        }
        socket.close();
        sockets.closed(SocketNames.ra(config.interfaceName()));
    }

    public RaConfig config() {
        return config;
    }

    public RaStats stats() {
        return stats.get();
    }

    public long sendFailures() {
        return sendFailures;
    }

    /**
     * Datagrams the kernel dropped before this service read them (its receive queue was full), as the
     * socket reported with the last datagram read: drops after that show with the next one.
     */
    public long overflowed() {
        return overflowed;
    }
}
