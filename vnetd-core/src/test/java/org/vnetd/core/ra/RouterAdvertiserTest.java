package org.vnetd.core.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

class RouterAdvertiserTest {
    static final MacAddress ROUTER = MacAddress.parse("52:54:00:12:34:56");

    static RaConfig config() throws Exception {
        return new RaConfig("virbr0", true, true, 1800,
                List.of(new NdpOption.PrefixInformation(IpPrefix.parse("2001:db8:ca2:2::/64"), true, false, 3600, 3600)),
                List.of(NdpCodecTest.v6("2001:db8:ca2:2::1")), 3600, OptionalLong.of(9000), RaTiming.DEFAULT);
    }

    static Inet6Address host() throws Exception {
        return NdpCodecTest.v6("fe80::5054:ff:feaa:bbcc");
    }

    @Test
    void sendsTheConfiguredAdvertisementAtStart() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        byte[] sent = ra.poll(0).orElseThrow();
        assertEquals(HexFormat.of().formatHex(NdpCodecTest.RA_STATEFUL), HexFormat.of().formatHex(sent));
        assertEquals(Optional.empty(), ra.poll(1));
        assertEquals(1, ra.stats().advertisementsSent());
    }

    @Test
    void anAdvertisementThatCouldNotBeSentIsNotCountedAndHoldsNoAnswerBack() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        assertTrue(ra.poll(0).isPresent());
        ra.sendFailed(); // the bridge had no carrier yet
        assertEquals(0, ra.stats().advertisementsSent());
        byte[] rs = NdpCodecTest.RS_WITH_SLLA;
        ra.receive(rs, rs.length, 255, host(), 200);
        assertTrue(ra.nextDue() <= 700, "answered within 500 ms, not 3 s after the failed attempt: " + ra.nextDue());
    }

    @Test
    void aValidSolicitationIsAnsweredPromptly() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        ra.poll(0);
        ra.poll(16_000);
        ra.poll(32_000);
        byte[] rs = NdpCodecTest.RS_WITH_SLLA;
        var v = ra.receive(rs, rs.length, 255, host(), 100_000);
        assertEquals(Optional.of(MacAddress.parse("52:54:00:aa:bb:cc")),
                assertInstanceOf(RouterAdvertiser.Verdict.Solicited.class, v).host());
        assertTrue(ra.nextDue() >= 100_000 && ra.nextDue() <= 100_500, "answer at " + ra.nextDue());
        assertTrue(ra.poll(ra.nextDue()).isPresent());
        assertEquals(1, ra.stats().solicitationsAnswered());
    }

    @Test
    void invalidDatagramsAreDroppedAndCounted() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        ra.poll(0);
        long due = ra.nextDue();
        byte[] rs = NdpCodecTest.RS_WITH_SLLA;
        assertTrue(ra.receive(rs, rs.length, 64, host(), 1).toString().contains("hop limit 64"));
        assertTrue(ra.receive(rs, rs.length, 255, NdpCodecTest.v6("::"), 1).toString().contains("from ::"));
        assertTrue(ra.receive(rs, 5, 255, host(), 1).toString().contains("shorter"));
        byte[] own = NdpCodecTest.RA_STATEFUL;
        assertTrue(ra.receive(own, own.length, 255, host(), 1).toString().contains("not a router solicitation"));
        assertEquals(3 + 1, ra.stats().dropped());
        assertEquals(1, ra.stats().malformed(), "the short one: the codec refused it");
        assertEquals(3, ra.stats().invalid(), "hop limit, link-layer option from ::, not a solicitation");
        assertEquals(due, ra.nextDue(), "nothing dropped moves the schedule");
    }

    @Test
    void aSolicitationFromTheUnspecifiedAddressWithoutLinkLayerIsValid() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        byte[] rs = HexFormat.of().parseHex("8500000000000000");
        assertInstanceOf(RouterAdvertiser.Verdict.Solicited.class, ra.receive(rs, rs.length, 255, NdpCodecTest.v6("::"), 1));
    }

    @Test
    void theFinalAdvertisementWithdrawsTheDefaultRouter() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        byte[] last = ra.finalAdvertisement();
        var m = assertInstanceOf(NdpMessage.RouterAdvertisement.class, NdpCodec.decode(last, last.length));
        assertEquals(0, m.routerLifetime());
        assertEquals(config().advertisement(ROUTER).options(), m.options());
    }

    @Test
    void aSeededFuzzOfMalformedSolicitationsIsDroppedAndNeverThrows() throws Exception {
        RouterAdvertiser ra = new RouterAdvertiser(config(), ROUTER, new SplittableRandom(3));
        ra.start(0);
        SplittableRandom random = new SplittableRandom(20261207);
        byte[] base = NdpCodecTest.RS_WITH_SLLA;
        int solicited = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = java.util.Arrays.copyOf(base, 8 + random.nextInt(40));
            for (int k = random.nextInt(1, 6); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            if (ra.receive(b, b.length, 255, host(), i) instanceof RouterAdvertiser.Verdict.Solicited) {
                solicited++;
            }
        }
        var s = ra.stats();
        assertEquals(20_000, s.dropped() + s.solicitationsAnswered());
        assertEquals(solicited, s.solicitationsAnswered());
        assertTrue(s.dropped() > 10_000, "most random changes break a solicitation: " + s);
    }
}
