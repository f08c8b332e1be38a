package org.vnetd.daemon.rpc.limit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.util.concurrent.EventExecutor;

/**
 * Logs a listener's refusals without letting a flood of them flood the log: the first refusal after a quiet
 * interval is logged at once, later ones are counted and summed up in one line per interval (per reason, and
 * the peers refused most) until an interval passes with none.
 */
final class RefusalLog {
    private static final int PEERS_SHOWN = 3;

    private final String listener;
    private final Duration interval;
    private final Consumer<String> sink;

    // guarded by this: refusals come from every event loop of the listener
    private boolean collecting;
    private final Map<LimitRefusal.Reason, Integer> counts = new EnumMap<>(LimitRefusal.Reason.class);
    private final Map<String, Integer> peers = new TreeMap<>();
    private long total;

    RefusalLog(String listener, Duration interval, Consumer<String> sink) {
        this.listener = listener;
        this.interval = interval;
        this.sink = sink;
    }

    /** Records one refusal; {@code timer} runs the summary at the end of the interval. */
    void refused(LimitRefusal refusal, String peer, EventExecutor timer) {
        String line = null;
        synchronized (this) {
            total++;
            if (!collecting) {
                collecting = true;
                line = listener + ": closing a connection of " + peer + ": " + refusal.message()
                        + " (further refusals are summed up every " + interval.toSeconds() + " s)";
            } else {
                counts.merge(refusal.reason(), 1, Integer::sum);
                peers.merge(peer, 1, Integer::sum);
            }
        }
        if (line != null) {
            sink.accept(line);
            timer.schedule(() -> flush(timer), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void flush(EventExecutor timer) {
        String line;
        synchronized (this) {
            if (counts.isEmpty()) {
                collecting = false;
                return;
            }
            line = summary();
            counts.clear();
            peers.clear();
        }
        sink.accept(line);
        timer.schedule(() -> flush(timer), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private String summary() {
        int n = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder b = new StringBuilder(listener).append(": closed ").append(n).append(" more connection")
                .append(n == 1 ? "" : "s").append(" in the last ").append(interval.toSeconds()).append(" s:");
        String sep = " ";
        for (Map.Entry<LimitRefusal.Reason, Integer> e : counts.entrySet()) {
            b.append(sep).append(e.getValue()).append(' ').append(e.getKey().plural());
            sep = ", ";
        }
        b.append("; from ");
        sep = "";
        int shown = 0;
        for (Map.Entry<String, Integer> e : peers.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).toList()) {
            if (shown++ == PEERS_SHOWN) {
                b.append(sep).append(peers.size() - PEERS_SHOWN).append(" other peers");
                break;
            }
            b.append(sep).append(e.getKey()).append(" (").append(e.getValue()).append(')');
            sep = ", ";
        }
        return b.toString();
    }

    synchronized long total() {
        return total;
    }
}
