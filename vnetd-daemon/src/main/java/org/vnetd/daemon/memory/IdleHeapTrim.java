package org.vnetd.daemon.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

import io.netty.util.concurrent.EventExecutor;

/**
 * Shrinks the heap to what is live once a burst of work is over. The serial collector
 * promotes whatever is in flight at a young collection into the old generation, every page that garbage
 * touches stays resident, and only a full collection that also shrinks the generation gives those pages
 * back; with the daemon's small allocation rate at rest, the next one might come days later. G1 and ZGC
 * have a periodic collection for this; the serial collector has none, so the daemon asks for one: when the
 * last period saw no full collection, few young ones and next to nothing promoted (the burst is over; light
 * traffic such as a polling client may go on, and waits once for the trim's pause) and the old generation
 * holds garbage or room beyond its live data ({@link HeapSample#worthTrimming}), it runs {@link System#gc()} with the heap's free-ratio bounds
 * tightened for that one collection (so the generation shrinks to its live data in one step), then restores
 * them, so the heap grows and shrinks under load as the launcher's options say. The native heap (malloc'd
 * memory the JIT, netty and libnftables freed) is trimmed by the JVM itself ({@code -XX:TrimNativeHeapInterval}).
 * Without a serial old generation (another collector chosen in {@code VNETD_JAVA_OPTS}) it does nothing.
 */
public final class IdleHeapTrim implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleHeapTrim.class);
    static final Duration PERIOD = Duration.ofSeconds(10);
    /** Garbage or spare room below this is not worth a full collection. */
    static final long SLACK_BYTES = 2L * 1024 * 1024;
    /** Free share of the old generation kept by a trim: its live data plus a little room to promote into. */
    static final int TRIM_FREE_PERCENT = 10;
    private static final String OLD_POOL = "Tenured Gen";

    private final ScheduledFuture<?> task;
    /** The collector's beans, looked up at the first check (not on the daemon's start path); empty: not serial. */
    private Optional<Beans> beans;
    private HeapSample last;

    private record Beans(MemoryPoolMXBean old, GarbageCollectorMXBean young, GarbageCollectorMXBean full,
            HotSpotDiagnosticMXBean vm) {
    }

    private IdleHeapTrim(EventExecutor executor) {
        this.task = executor.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the periodic check on {@code executor}; its first run finds the collector, and stops the check when
     * the JVM runs another collector than the serial one.
     */
    public static IdleHeapTrim start(EventExecutor executor) {
        return new IdleHeapTrim(executor);
    }

    private static Optional<Beans> lookUp() {
        Optional<MemoryPoolMXBean> old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.getName().equals(OLD_POOL)).findFirst();
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        Optional<GarbageCollectorMXBean> full = collectors.stream()
                .filter(c -> List.of(c.getMemoryPoolNames()).contains(OLD_POOL)).findFirst();
        Optional<GarbageCollectorMXBean> young = collectors.stream()
                .filter(c -> !List.of(c.getMemoryPoolNames()).contains(OLD_POOL)).findFirst();
        if (old.isEmpty() || full.isEmpty() || young.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Beans(old.get(), young.get(), full.get(),
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)));
    }

    private static HeapSample sample(Beans b) {
        return new HeapSample(b.young().getCollectionCount(), b.full().getCollectionCount(), b.old().getUsage().getUsed(),
                b.old().getCollectionUsage().getUsed(), b.old().getUsage().getCommitted());
    }

    private void check() {
        try {
            if (beans == null) {
                beans = lookUp();
                if (beans.isEmpty()) {
                    LOG.debug("no serial old generation: the idle heap trim is off");
                    task.cancel(false);
                    return;
                }
            }
            Beans b = beans.get();
            HeapSample now = sample(b);
            if (last != null && now.worthTrimming(last, SLACK_BYTES)) {
                trim(b, now);
                now = sample(b);
            }
            last = now;
        } catch (RuntimeException e) {
            // a JVM that refuses the ratios (an option fixed on its command line) still runs; the next period retries
            LOG.warn("idle heap trim failed: {}", e.toString());
        }
    }

    private static void trim(Beans b, HeapSample before) {
        HotSpotDiagnosticMXBean vm = b.vm();
        String minFree = vm.getVMOption("MinHeapFreeRatio").getValue();
        String maxFree = vm.getVMOption("MaxHeapFreeRatio").getValue();
        long t0 = System.nanoTime();
        try {
            // the maximum may not go below the minimum: lower the minimum first, restore it last
            vm.setVMOption("MinHeapFreeRatio", "0");
            vm.setVMOption("MaxHeapFreeRatio", String.valueOf(TRIM_FREE_PERCENT));
            System.gc();
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", maxFree);
            vm.setVMOption("MinHeapFreeRatio", minFree);
        }
        LOG.debug("idle heap trim in {} ms: old generation {} KiB used of {} KiB committed, now {} KiB of {} KiB",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), before.oldUsed() / 1024, before.oldCommitted() / 1024,
                b.old().getUsage().getUsed() / 1024, b.old().getUsage().getCommitted() / 1024);
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
