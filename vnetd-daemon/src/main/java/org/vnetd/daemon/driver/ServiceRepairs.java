package org.vnetd.daemon.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services of running networks that could not be started again when a restarted daemon adopted them
 * (a port taken, a lease file unreadable…). Each is tried again in the background, {@link #FIRST_RETRY_MS}
 * after the failure and then twice as long each time up to {@link #MAX_RETRY_MS}, until it starts or its
 * network stops it. Meanwhile the network is degraded: {@link #problems} says why. Starts, stops and
 * retries of one network's services hold that network's {@link #guard}, so a retry never races a stop.
 */
final class ServiceRepairs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRepairs.class);
    static final long FIRST_RETRY_MS = 1_000;
    static final long MAX_RETRY_MS = 60_000;

    private record Key(String network, String service) {
    }

    /** One broken service: how to start it, why it failed, when it is tried next. */
    private record Broken(Runnable start, String reason, long delayMs) {
    }

    private final Consumer<String> healthChanged;
    private final Map<Key, Broken> broken = new ConcurrentHashMap<>();
    private final Map<String, Object> guards = new ConcurrentHashMap<>();
    // one thread, made now: a thread inherits the network namespace of the thread that creates it,
    // and the daemon's services belong to the namespace the daemon started in
    private final ScheduledExecutorService timer;

    ServiceRepairs(Consumer<String> healthChanged) {
        this.healthChanged = healthChanged;
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("service-repair").factory());
        t.prestartAllCoreThreads();
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /** The monitor that a network's service starts, stops and retries hold. */
    Object guard(String network) {
        return guards.computeIfAbsent(network, n -> new Object());
    }

    /** Runs {@code start}; if it fails, the service is broken and retried later, and the error is rethrown. */
    void adopt(String network, String service, Runnable start) {
        synchronized (guard(network)) {
            try {
                start.run();
            } catch (RuntimeException e) {
                fail(new Key(network, service), start, e, FIRST_RETRY_MS);
                throw e;
            }
        }
    }

    /** A live update changed what the service should run with: a later retry starts that. */
    void update(String network, String service, Runnable start) {
        synchronized (guard(network)) {
            Key key = new Key(network, service);
            Broken b = broken.get(key);
            if (b != null) {
                Broken next = new Broken(start, b.reason(), b.delayMs());
                broken.put(key, next); // the retry scheduled for b finds it replaced and leaves it to this one
                schedule(key, next);
            }
        }
    }

    /** The network stops the service (or starts it anew): no retry is due any more. */
    void stopped(String network, String service) {
        broken.remove(new Key(network, service));
    }

    List<String> problems(String network) {
        List<String> out = new ArrayList<>();
        broken.forEach((k, b) -> {
            if (k.network().equals(network)) {
                out.add(k.service() + " is not running: " + b.reason() + " (retrying)");
            }
        });
        out.sort(null);
        return out;
    }

    /** Under the guard. */
    private void fail(Key key, Runnable start, RuntimeException e, long delayMs) {
        Broken b = new Broken(start, e.getMessage(), delayMs);
        broken.put(key, b);
        LOG.error("network '{}': {} is not running: {}; trying again in {} s", key.network(), key.service(), e.getMessage(),
                delayMs / 1000.0);
        schedule(key, b);
    }

    private void schedule(Key key, Broken b) {
        try {
            timer.schedule(() -> retry(key, b), b.delayMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the next daemon adopts the network again
        }
    }

    private void retry(Key key, Broken b) {
        boolean repaired;
        synchronized (guard(key.network())) {
            if (broken.get(key) != b) {
                return; // stopped, started anew or updated (an update's own retry is scheduled below)
            }
            try {
                b.start().run();
                broken.remove(key);
                repaired = true;
                LOG.info("network '{}': {} is running again", key.network(), key.service());
            } catch (RuntimeException e) {
                Broken next = new Broken(b.start(), e.getMessage(), Math.min(MAX_RETRY_MS, b.delayMs() * 2));
                broken.put(key, next);
                LOG.warn("network '{}': {} still cannot start: {}; trying again in {} s", key.network(), key.service(),
                        e.getMessage(), next.delayMs() / 1000.0);
                schedule(key, next);
                repaired = false;
            }
        }
        if (repaired) {
            healthChanged.accept(key.network());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
