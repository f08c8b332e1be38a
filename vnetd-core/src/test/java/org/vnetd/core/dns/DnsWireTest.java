package org.vnetd.core.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;

class DnsWireTest {
    @Test
    void scanFindsTtlsAndCacheTimes() {
        byte[] a = WireFixtures.answerA(1, "www.vnetd.org", 300, "203.0.113.7");
        DnsWire.Layout l = DnsWire.scan(a);
        assertEquals(300, l.cacheTtl());
        assertEquals(1, l.ttlOffsets().length);
        assertEquals(12 + DnsName.of("www.vnetd.org").wireLength() + 4, l.questionEnd());
        // RFC 2308: negative answers live min(SOA TTL, SOA MINIMUM)
        assertEquals(60, DnsWire.scan(WireFixtures.nxdomain(1, "nope.org", 3600, 60)).cacheTtl());
        byte[] tc = a.clone();
        tc[2] |= 0x02;
        assertEquals(-1, DnsWire.scan(tc).cacheTtl());
    }

    @Test
    void compressionLoopsAndTruncationAreRefused() {
        byte[] loop = WireFixtures.answerA(1, "www.vnetd.org", 300, "203.0.113.7");
        loop[12] = (byte) 0xC0;
        loop[13] = 12; // points at itself
        assertThrows(VnetException.class, () -> DnsWire.question(loop));
        byte[] forward = WireFixtures.answerA(1, "www.vnetd.org", 300, "203.0.113.7");
        forward[12] = (byte) 0xC0;
        forward[13] = 40; // points forward
        assertThrows(VnetException.class, () -> DnsWire.question(forward));
        byte[] a = WireFixtures.answerA(1, "www.vnetd.org", 300, "203.0.113.7");
        for (int cut = 0; cut < a.length; cut++) {
            byte[] part = Arrays.copyOf(a, cut);
            assertThrows(VnetException.class, () -> DnsWire.scan(part), "cut at " + cut);
        }
    }

    @Test
    void queryEncodingCarriesEdnsAndTheClientsSpelling() {
        byte[] q = DnsWire.encodeQuery(0xBEEF, DnsQuestion.in("MiXeD.Example.com", RecordType.AAAA), true,
                Optional.of(new Edns(4096, true)), 1232);
        assertEquals(0xBEEF, DnsWire.id(q));
        assertEquals("MiXeD.Example.com", DnsWire.question(q).name().text());
        assertEquals(RecordType.AAAA.code(), DnsWire.question(q).type());
        int opt = DnsWire.scan(q).questionEnd();
        assertEquals(41, DnsWire.u16(q, opt + 1));
        assertEquals(1232, DnsWire.u16(q, opt + 3));
        assertEquals(0x80, q[opt + 7] & 0xFF);
    }

    @Test
    void truncateKeepsHeaderAndQuestionWithTc() {
        byte[] a = WireFixtures.answerA(5, "www.vnetd.org", 300, "203.0.113.7");
        byte[] t = DnsWire.truncate(a, DnsWire.scan(a).questionEnd());
        assertTrue(DnsWire.isTruncated(t));
        assertEquals(DnsQuestion.in("www.vnetd.org", RecordType.A), DnsWire.question(t));
        assertEquals(0, DnsWire.u16(t, 6));
    }

    @Test
    void namesAndReverseNames() {
        assertEquals(DnsName.of("A.Example.COM."), DnsName.of("a.example.com"));
        assertTrue(DnsName.of("x.y.example.com").isUnder(DnsName.of("EXAMPLE.com")));
        assertThrows(VnetException.class, () -> DnsName.of("a..b"));
        assertThrows(VnetException.class, () -> DnsName.of("x".repeat(64)));
        assertEquals("4.3.2.1.in-addr.arpa", ReverseNames.of(IpAddresses.parse("1.2.3.4")).text());
        assertEquals(IpAddresses.parse("2001:db8::1"), ReverseNames.parse(ReverseNames.of(IpAddresses.parse("2001:db8::1"))).orElseThrow());
        assertTrue(ReverseNames.parse(DnsName.of("3.2.1.in-addr.arpa")).isEmpty());
        assertArrayEquals(new byte[] {3, 'w', 'w', 'w', 0}, DnsName.of("www").toWire());
        assertEquals(List.of(new java.net.InetSocketAddress(IpAddresses.parse("10.0.0.1"), 53),
                        new java.net.InetSocketAddress(IpAddresses.parse("fe80::1"), 53)),
                ResolvConf.parse("# comment\nsearch lan\nnameserver 10.0.0.1\nnameserver fe80::1%eth0\nnameserver bogus\noptions edns0\n"));
    }

    @Test
    void longTxtIsSplitIntoCharacterStrings() {
        byte[] b = new Rdata.Txt("x".repeat(300)).encode();
        assertEquals(302, b.length);
        assertEquals(255, b[0] & 0xFF);
        assertEquals(45, b[256] & 0xFF);
    }
}
