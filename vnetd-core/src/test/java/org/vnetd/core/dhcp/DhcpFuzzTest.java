package org.vnetd.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.core.dhcp.Msg.ip;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;

/** Seeded, bounded fuzzing: every bad datagram is dropped and counted, and no lease changes. */
class DhcpFuzzTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int CASES = 20_000;

    @Test
    void malformedDatagramsAreDroppedCountedAndChangeNothing() {
        DhcpConfig config = DhcpConfig.simple("virbr9", IpPrefix.parse("10.0.0.1/24"), ip("10.0.0.10"), ip("10.0.0.200"));
        List<LeaseChange> changes = new ArrayList<>();
        DhcpServer server = new DhcpServer(config, List.of(), changes::add);
        DhcpMessage req = Msg.of(DhcpMessageType.REQUEST).serverId("10.0.0.1").requested("10.0.0.50").hostname("seed").build();
        assertInstanceOf(Decision.Ack.class, server.handle(req, T0));
        List<DhcpLease> before = server.leases();
        int changesBefore = changes.size();

        byte[] valid = DhcpCodec.encode(Msg.of(DhcpMessageType.DISCOVER).hostname("fuzz").prl(1, 3, 6).build());
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        int expectedMalformed = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] b = switch (i % 5) {
                case 0 -> randomBytes(rnd, rnd.nextInt(0, 1600));
                case 1 -> Arrays.copyOf(valid, rnd.nextInt(0, 240)); // truncated
                case 2 -> { // bad cookie
                    byte[] c = valid.clone();
                    c[236 + rnd.nextInt(4)] ^= (byte) (1 + rnd.nextInt(255));
                    yield c;
                }
                case 3 -> { // an option length running past the end
                    byte[] c = Arrays.copyOf(valid, 240 + rnd.nextInt(2, 60));
                    int at = 240 + rnd.nextInt(c.length - 241);
                    Arrays.fill(c, 240, at, (byte) 0);
                    c[at] = (byte) rnd.nextInt(1, 255);
                    c[at + 1] = (byte) (c.length - at - 1 + rnd.nextInt(0, 50));
                    yield c;
                }
                default -> { // valid header, random options area, random chaddr
                    byte[] c = Arrays.copyOf(valid, 240 + rnd.nextInt(0, 400));
                    for (int k = 240; k < c.length; k++) {
                        c[k] = (byte) rnd.nextInt(256);
                    }
                    for (int k = 28; k < 44; k++) {
                        c[k] = (byte) rnd.nextInt(256);
                    }
                    yield c;
                }
            };
            boolean decodes;
            try {
                DhcpCodec.decode(b);
                decodes = true;
            } catch (MalformedDhcpException e) {
                decodes = false;
            }
            Decision d = server.handleDatagram(b, 0, b.length, T0);
            if (!decodes) {
                expectedMalformed++;
                assertEquals(Decision.IgnoreReason.MALFORMED, assertInstanceOf(Decision.Ignore.class, d).reason());
            }
        }
        byte[] huge = Arrays.copyOf(valid, 65536);
        assertInstanceOf(Decision.Ignore.class, server.handleDatagram(huge, 0, huge.length, T0));
        expectedMalformed++;

        assertTrue(expectedMalformed > CASES * 3 / 5, "most cases are malformed: " + expectedMalformed);
        assertEquals(expectedMalformed, server.stats().malformed());
        assertEquals(before, server.leases(), "nothing stored changed");
        assertEquals(changesBefore, changes.size(), "no lease change was reported");
        // and it still serves
        assertInstanceOf(Decision.Offer.class, server.handle(Msg.of(DhcpMessageType.DISCOVER).mac("52:54:00:12:34:56").build(), T0));
    }

    private static byte[] randomBytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }
}
