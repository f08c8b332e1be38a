package org.vnetd.daemon.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The running daemon's router advertisements under a seeded fuzz of router solicitations (issue 19's
 * malformed input): thousands of solicitations from a guest on the bridge, valid ones (with and without
 * a link-layer option, with unknown options) among malformed ones (a code other than 0, cut short, an
 * option of length 0, an option past the end) and invalid ones (hop limit 64). Through
 * {@code network.serviceStats}, every one is counted once, answered or dropped, in the category it was
 * made for; the advertisements they caused keep RFC 4861's 3 s spacing (no storm), and a solicitation
 * afterwards is still answered.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RaFuzzNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SOLICITATIONS = 4000;
    private static final long SEED = 20261208;
    private static final String XML = """
            <network>
              <name>rafz</name>
              <bridge name='vbr-rafz' stp='off'/>
              <ip family='ipv6' address='fd44::1' prefix='64'/>
            </network>""";

    /** What each datagram is made to be, and so how the daemon must count it. */
    private enum Kind {
        PLAIN(Outcome.ANSWERED), LINK_LAYER(Outcome.ANSWERED), UNKNOWN_OPTION(Outcome.ANSWERED),
        BAD_CODE(Outcome.MALFORMED), SHORT(Outcome.MALFORMED), ZERO_LENGTH_OPTION(Outcome.MALFORMED),
        OPTION_PAST_END(Outcome.MALFORMED), HOP_LIMIT_64(Outcome.INVALID);

        final Outcome outcome;

        Kind(Outcome outcome) {
            this.outcome = outcome;
        }
    }

    private enum Outcome {
        ANSWERED("solicitationsAnswered"), MALFORMED("solicitationsMalformed"), INVALID("solicitationsInvalid");

        final String counter;

        Outcome(String counter) {
            this.counter = counter;
        }
    }

    @TempDir
    Path dir;

    @Test
    void everySolicitationIsAnsweredOrDroppedAndCountedWithoutAnAdvertisementStorm() throws Exception {
        NetnsSupport.require("python3", "rdisc6");
        try (TestNetns host = TestNetns.create("rafz"); TestNetns guest = TestNetns.create("rafzg");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"), "INFO")) {
            d.start("--no-default-network");
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "rafz"));
            host.execOk("ip", "link", "add", "vg", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg", "master", "vbr-rafz", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            guest.awaitIpv6Settled(WAIT);

            SplittableRandom random = new SplittableRandom(SEED);
            Map<Outcome, Long> expected = new EnumMap<>(Outcome.class);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < SOLICITATIONS; i++) {
                Kind k = Kind.values()[random.nextInt(Kind.values().length)];
                expected.merge(k.outcome, 1L, Long::sum);
                lines.add((k == Kind.HOP_LIMIT_64 ? 64 : 255) + " " + HexFormat.of().formatHex(datagram(k, random)));
            }
            expected.merge(Outcome.ANSWERED, 1L, Long::sum); // the plain one sent last, after a pause
            Path fuzz = dir.resolve("fuzz.txt");
            Files.write(fuzz, lines);

            JsonNode before = ra(d);
            long started = System.nanoTime();
            var sent = guest.exec(Duration.ofSeconds(120), "python3", "-c", sender(fuzz));
            assertTrue(sent.ok(), "the fuzzer: " + sent);
            long total = SOLICITATIONS + 1;
            JsonNode after = Await.value(WAIT, Duration.ofMillis(200), "every solicitation counted",
                    () -> {
                        JsonNode now = ra(d);
                        return counted(now, before) >= total ? java.util.Optional.of(now) : java.util.Optional.empty();
                    });
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("RaFuzzNetnsTest: %d solicitations counted in %.1f s; before %s, after %s%n", total, seconds, before, after);
            assertEquals(total, counted(after, before), "each solicitation counted once: " + after);
            long overflowed = delta(after, before, "solicitationsOverflowed");
            for (Outcome o : Outcome.values()) {
                long got = delta(after, before, o.counter);
                if (overflowed == 0) {
                    assertEquals(expected.get(o), got, o.counter + " counts exactly what was made so: " + after);
                } else {
                    // the kernel dropped some before the daemon read them: which ones, only their count says
                    assertTrue(got <= expected.get(o) && got >= expected.get(o) - overflowed, o.counter + ": " + after);
                }
            }
            long advertisements = delta(after, before, "advertisementsSent");
            assertTrue(advertisements <= seconds / 3 + 2, advertisements + " advertisements in " + seconds
                    + " s: at most one per 3 s (RFC 4861 §6.2.6), however many solicitations");
            long answered = delta(after, before, "solicitationsAnswered");
            assertTrue(delta(after, before, "solicitationsRateLimited") >= answered - advertisements,
                    "the solicitations that shared an advertisement are counted as rate-limited: " + after);

            String out = guest.execOk("rdisc6", "-1", "-r", "5", "-w", "4000", "eth0").replaceAll("[ \t]+", " ");
            assertTrue(out.contains("Prefix : fd44::/64"), "a solicitation after the fuzz is answered: " + out);
        }
    }

    /** One solicitation of kind {@code k} (before the kernel fills in the checksum). */
    private static byte[] datagram(Kind k, SplittableRandom random) {
        byte[] header = {(byte) 133, 0, 0, 0, (byte) random.nextInt(256), 0, 0, (byte) random.nextInt(256)}; // reserved: ignored
        return switch (k) {
            case PLAIN, HOP_LIMIT_64 -> header;
            case LINK_LAYER -> concat(header, new byte[] {1, 1, 0x52, 0x54, 0, 0x44, (byte) random.nextInt(256), 1});
            case UNKNOWN_OPTION -> {
                int units = random.nextInt(1, 4);
                byte[] option = new byte[units * 8];
                random.nextBytes(option);
                option[0] = (byte) random.nextInt(200, 251);
                option[1] = (byte) units;
                yield concat(header, option);
            }
            case BAD_CODE -> {
                header[1] = (byte) random.nextInt(1, 256);
                yield header;
            }
            case SHORT -> java.util.Arrays.copyOf(header, random.nextInt(4, 8));
            case ZERO_LENGTH_OPTION -> concat(header, new byte[] {1, 0, 0x52, 0x54, 0, 0x44, 0, 1});
            case OPTION_PAST_END -> concat(header, new byte[] {1, (byte) random.nextInt(2, 256), 0x52, 0x54, 0, 0x44, 0, 1});
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Sends each line's datagram to ff02::2 on eth0 with its hop limit, 50 at a time with a short pause
     * (a queue that overflows anyway is counted by the daemon), then a plain solicitation after a pause,
     * which also brings the count of any overflow at the end.
     */
    private static String sender(Path fuzz) {
        return String.join("\n",
                "import socket, time",
                "idx = socket.if_nametoindex('eth0')",
                "socks = {}",
                "for hops in (64, 255):",
                "    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)",
                "    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, hops)",
                "    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'eth0')",
                "    socks[hops] = s",
                "n = 0",
                "for line in open('" + fuzz + "'):",
                "    hops, data = line.split()",
                "    socks[int(hops)].sendto(bytes.fromhex(data), ('ff02::2', 0, 0, idx))",
                "    n += 1",
                "    if n % 50 == 0:",
                "        time.sleep(0.01)",
                "time.sleep(0.5)",
                "socks[255].sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ('ff02::2', 0, 0, idx))");
    }

    private static JsonNode ra(DaemonProcess d) throws Exception {
        JsonNode ra = d.call("network.serviceStats", Map.of("network", "rafz")).path("ra");
        assertTrue(ra.isObject(), "the network's router advertisements run: " + ra);
        return ra;
    }

    private static long counted(JsonNode now, JsonNode before) {
        return delta(now, before, "solicitationsAnswered") + delta(now, before, "solicitationsMalformed")
                + delta(now, before, "solicitationsInvalid") + delta(now, before, "solicitationsOverflowed");
    }

    private static long delta(JsonNode now, JsonNode before, String counter) {
        return now.path(counter).asLong() - before.path(counter).asLong();
    }
}
