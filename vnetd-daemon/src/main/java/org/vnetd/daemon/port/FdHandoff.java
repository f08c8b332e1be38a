package org.vnetd.daemon.port;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.TapHandle;
import org.vnetd.daemon.rpc.FdReply;

/**
 * The descriptors of passFd ports waiting for {@code port.fd}: each under a one-time random token;
 * descriptors nobody collects within {@link #FD_PICKUP_SECONDS} are closed and their port removed.
 */
final class FdHandoff {
    private static final Logger LOG = LoggerFactory.getLogger(FdHandoff.class);
    /** How long a passFd port's descriptors wait for {@code port.fd} before the port is dropped. */
    static final long FD_PICKUP_SECONDS = 60;

    private record Pending(String uuid, TapHandle handle) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timers;
    /** Removes a port whose descriptors expired (its uuid). */
    private final Consumer<String> dropPort;

    FdHandoff(ScheduledExecutorService timers, Consumer<String> dropPort) {
        this.timers = timers;
        this.dropPort = dropPort;
    }

    /** Keeps port {@code uuid}'s descriptors for pickup; returns the token that collects them. */
    String offer(String uuid, TapHandle handle) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String token = HexFormat.of().formatHex(b);
        pending.put(token, new Pending(uuid, handle));
        timers.schedule(() -> expire(token), FD_PICKUP_SECONDS, TimeUnit.SECONDS);
        return token;
    }

    /** Hands the descriptors of a passFd port to {@code port.fd}; a token works once. */
    FdReply take(String token) {
        Pending p = token == null ? null : pending.remove(token);
        if (p == null) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "no port descriptors wait for this fdToken (used already, expired after "
                    + FD_PICKUP_SECONDS + " s, or never issued)");
        }
        return new FdReply(p.handle().fds(), p.handle()::close);
    }

    /** A deleted port's uncollected descriptors are closed. */
    void forget(String uuid) {
        pending.values().removeIf(p -> {
            if (p.uuid().equals(uuid)) {
                p.handle().close();
                return true;
            }
            return false;
        });
    }

    /** Descriptors nobody collected: close them (the tap goes away) and forget the port. */
    private void expire(String token) {
        Pending p = pending.remove(token);
        if (p == null) {
            return;
        }
        LOG.warn("port {}: its descriptors were not collected within {} s; removing the port", p.uuid(), FD_PICKUP_SECONDS);
        p.handle().close();
        try {
            dropPort.accept(p.uuid());
        } catch (RuntimeException e) {
            LOG.warn("cannot remove uncollected port {}: {}", p.uuid(), e.getMessage());
        }
    }

    void close() {
        for (Pending p : pending.values()) {
            p.handle().close();
        }
        pending.clear();
    }
}
