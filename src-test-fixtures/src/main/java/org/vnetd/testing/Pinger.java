package org.vnetd.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ping -D -i 0.1} from a namespace, every reply recorded by its sequence number and time: a reply
 * missing below the highest one answered is a lost ping (one still in flight when the ping stops is not).
 * {@link #close()} kills it if the test did not {@link #stop()} it.
 */
public final class Pinger implements AutoCloseable {
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+)\\.(\\d+)\\] \\d+ bytes from .*icmp_seq=(\\d+) .*time=([0-9.]+) ms");

    /**
     * What a ping run saw: replies, lost requests, the longest time without a reply (ms) and when it ended
     * (epoch ms), and the longest round trip (ms).
     */
    public record Figures(int replies, int lost, long longestGapMs, long longestGapEndedAtMs, double maxRttMs, List<Integer> lostSeqs) {
        @Override
        public String toString() {
            return replies + " replies, " + lost + " lost" + (lost > 0 ? " " + lostSeqs : "") + ", longest gap between replies "
                    + longestGapMs + " ms (ended at " + longestGapEndedAtMs + "), longest round trip " + maxRttMs + " ms";
        }
    }

    private final Process process;
    private final Thread reader;
    private final NavigableMap<Integer, Long> replies = new ConcurrentSkipListMap<>(); // seq → epoch µs
    private volatile double maxRtt;

    public Pinger(TestNetns ns, String target) {
        process = ns.start("ping", "-n", "-D", "-i", "0.1", target);
        reader = Thread.ofVirtual().name("ping-" + ns.name()).start(this::read);
    }

    private void read() {
        try (BufferedReader in = process.inputReader()) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    String frac = (m.group(2) + "000000").substring(0, 6);
                    replies.putIfAbsent(Integer.parseInt(m.group(3)), Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(frac));
                    maxRtt = Math.max(maxRtt, Double.parseDouble(m.group(4)));
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    public int replies() {
        return replies.size();
    }

    /** Waits (at most 30 s) until {@code n} replies came. */
    public void awaitReplies(int n) {
        Await.until(Duration.ofSeconds(30), n + " ping replies", () -> {
            if (!process.isAlive()) {
                throw new AssertionError("ping exited with " + process.exitValue() + ": " + new String(process.getErrorStream().readAllBytes()));
            }
            return replies.size() >= n;
        });
    }

    /** Stops the ping and counts. */
    public Figures stop() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(10));
        if (replies.isEmpty()) {
            return new Figures(0, 0, 0, 0, 0, List.of());
        }
        List<Integer> lost = new ArrayList<>();
        for (int seq = replies.firstKey(); seq <= replies.lastKey(); seq++) {
            if (!replies.containsKey(seq)) {
                lost.add(seq);
            }
        }
        long gap = 0;
        long gapEnd = 0;
        Long prev = null;
        for (long t : replies.values()) {
            if (prev != null && t - prev > gap) {
                gap = t - prev;
                gapEnd = t;
            }
            prev = t;
        }
        return new Figures(replies.size(), lost.size(), gap / 1000, gapEnd / 1000, maxRtt, lost);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
