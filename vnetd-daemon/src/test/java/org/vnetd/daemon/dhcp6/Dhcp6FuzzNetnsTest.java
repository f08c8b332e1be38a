package org.vnetd.daemon.dhcp6;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;


/**
 * The running daemon's DHCPv6 server under a seeded fuzz (issue 19's malformed input): thousands of malformed
 * datagrams from a guest on the bridge (a valid SOLICIT with an option length past the end, truncated
 * headers, relay messages, random bytes) are dropped and counted, the lease files do not change by a
 * byte, and a well-formed SOLICIT sent afterwards is still answered.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Dhcp6FuzzNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MALFORMED = 3000;
    private static final String XML = """
            <network>
              <name>v6fz</name>
              <bridge name='vbr-v6fz' stp='off'/>
              <ip family='ipv6' address='fd43::1' prefix='64'>
                <dhcp><range start='fd43::100' end='fd43::1ff'/></dhcp>
              </ip>
            </network>""";

    @TempDir
    Path dir;

    @Test
    void aSeededFuzzIsDroppedAndCountedStoresNothingAndTheServerKeepsAnswering() throws Exception {
        NetnsSupport.require("python3");
        // DEBUG: the server logs each malformed datagram it drops, which is how this test counts them
        try (TestNetns host = TestNetns.create("d6fz"); TestNetns guest = TestNetns.create("d6fzg");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"), "DEBUG")) {
            d.start("--no-default-network");
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "v6fz"));
            host.execOk("ip", "link", "add", "vg", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg", "master", "vbr-v6fz", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            guest.awaitIpv6Settled(WAIT);
            Path leases = d.stateDir().resolve("dhcp");
            Map<String, byte[]> before = files(leases);
            var sent = guest.exec(Duration.ofSeconds(60), "python3", "-c", fuzzer(MALFORMED));
            assertTrue(sent.ok(), "the fuzzer: " + sent);
            Await.until(WAIT, MALFORMED + " malformed datagrams dropped and counted", () -> drops(d) >= MALFORMED);
            assertEquals(MALFORMED, drops(d), "every malformed datagram dropped once, nothing else");
            var counters = d.call("network.serviceStats", Map.of("network", "v6fz")).path("dhcp6");
            assertEquals(MALFORMED, counters.path("malformed").asLong(), "network.serviceStats counts them: " + counters);
            assertEquals(MALFORMED, counters.path("received").asLong(), "and nothing else came: " + counters);
            Map<String, byte[]> after = files(leases);
            assertEquals(before.keySet(), after.keySet(), "no lease file appeared or went");
            for (String f : before.keySet()) {
                assertArrayEquals(before.get(f), after.get(f), f + " unchanged");
            }
            var answer = guest.exec(Duration.ofSeconds(30), "python3", "-c", solicitAndWait());
            assertTrue(answer.ok() && answer.stdout().startsWith("02"), "an ADVERTISE after the fuzz: " + answer);
        }
    }

    private static long drops(DaemonProcess d) {
        return d.log().lines().filter(l -> l.contains("dropped a malformed message")).count();
    }

    private static Map<String, byte[]> files(Path leases) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(leases)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** A SOLICIT (client id, IA_NA, elapsed time) as Python bytes. */
    private static final String SOLICIT = "bytes.fromhex('01' + '0a0b0c' + '0001000e00010001' + '2a2b2c2d525400aabbcc'"
            + " + '0003000c' + '00000001' + '00000000' + '00000000' + '00080002' + '0000')";

    /** Python: {@code n} malformed datagrams to ff02::1:2 port 547 on eth0, from a fixed seed. */
    private static String fuzzer(int n) {
        return String.join("\n",
                "import random, socket, time",
                "rnd = random.Random(20261207)",
                "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'eth0')",
                "dst = ('ff02::1:2', 547, 0, socket.if_nametoindex('eth0'))",
                "good = " + SOLICIT,
                "for i in range(" + n + "):",
                "    kind = i % 4",
                "    if kind == 0:",   // an option whose length runs past the end
                "        b = bytearray(good); at = rnd.choice([4, 22, 38]); b[at + 2:at + 4] = (len(b) + rnd.randrange(1, 200)).to_bytes(2, 'big')",
                "    elif kind == 1:", // shorter than the header, or an option header cut off
                "        b = bytearray(good[:rnd.choice([1, 2, 3, 5, 6, 7])]) if rnd.random() < 0.5 else bytearray(good + bytes([0, 1]))",
                "    elif kind == 2:", // relay messages (vnetd serves its own link)
                "        b = bytearray([rnd.choice([12, 13])]) + bytearray(rnd.randbytes(rnd.randrange(0, 60)))",
                "    else:",           // IA_NA shorter than its 12 fixed bytes, with random content around it
                "        b = bytearray(good[:22]) + bytes([0, 3, 0, rnd.randrange(0, 12)]) + rnd.randbytes(11)",
                "    s.sendto(bytes(b), dst)",
                // paced (2500/s) so the server's 1 MiB socket buffer never overflows: every datagram must reach it
                "    if i % 50 == 49:",
                "        time.sleep(0.02)");
    }

    /** Python: one SOLICIT from eth0's link-local address, port 546; prints the answer's hex (or fails after 10 s). */
    private static String solicitAndWait() {
        return String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'eth0')",
                "s.bind(('::', 546))",
                "s.settimeout(10)",
                "s.sendto(" + SOLICIT + ", ('ff02::1:2', 547, 0, socket.if_nametoindex('eth0')))",
                "print(s.recvfrom(1500)[0].hex())");
    }
}
