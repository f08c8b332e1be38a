package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.dns.DnsEngine;
import org.vnetd.core.dns.DnsQuestion;
import org.vnetd.core.dns.DnsWire;
import org.vnetd.core.dns.Edns;
import org.vnetd.core.dns.RecordType;
import org.vnetd.core.dns.ResponseCode;
import org.vnetd.core.net.IpAddresses;

/** The UDP pipeline without sockets: bytes in, bytes out, through netty's codec and our handler. */
class DnsUdpPipelineTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(IpAddresses.parse("192.168.122.50"), 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress(IpAddresses.parse("192.168.122.1"), 53);

    private final DnsStats.Counters counters = new DnsStats.Counters();
    private final DnsEngine engine = new DnsEngine(DnsConfig.defaults("br0", List.of(SERVER.getAddress()))
            .withDomain("example.com", true)
            .withHosts(List.of(DnsConfig.Host.of("192.168.122.10", "web")))
            .withTxtRecords(List.of(new DnsConfig.Txt("big", "x".repeat(250)), new DnsConfig.Txt("big", "y".repeat(250)),
                    new DnsConfig.Txt("big", "z".repeat(250)))),
            () -> List.of(new InetSocketAddress(IpAddresses.parse("10.0.0.53"), 53)), System::nanoTime);
    // no event loops: a forwarded query gets no socket and must still be answered (SERVFAIL)
    private final UpstreamClient upstream = new UpstreamClient(null, Duration.ofMillis(100), Duration.ofMillis(200));
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final AnswerMemo memo = new AnswerMemo();

    DnsUdpPipelineTest() {
        DnsListener.udpPipeline(ch.pipeline(), new QueryProcessor(engine, upstream, counters), counters, memo);
    }

    private byte[] ask(byte[] query) {
        ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(query), SERVER, CLIENT));
        ch.runPendingTasks();
        DatagramPacket out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            assertEquals(CLIENT, out.recipient());
            return ByteBufUtil.getBytes(out.content());
        } finally {
            out.release();
        }
    }

    @Test
    void localAnswerGoesBackToTheClient() {
        byte[] r = ask(DnsWire.encodeQuery(77, DnsQuestion.in("WEB.example.com", RecordType.A), true, Optional.empty(), 1232));
        assertNotNull(r);
        assertEquals(77, DnsWire.id(r));
        assertEquals(ResponseCode.NOERROR, DnsWire.rcode(r));
        assertEquals("WEB.example.com", DnsWire.question(r).name().text());
        assertEquals(1, (r[6] << 8 | r[7] & 0xFF), "one answer");
        assertTrue((r[2] & 0x04) != 0, "authoritative");
        // the second time from the memo: same answer, this client's id, spelling and RD bit
        byte[] again = ask(DnsWire.encodeQuery(78, DnsQuestion.in("web.EXAMPLE.com", RecordType.A), false, Optional.empty(), 1232));
        assertEquals(1, memo.size());
        assertEquals(78, DnsWire.id(again));
        assertEquals("web.EXAMPLE.com", DnsWire.question(again).name().text());
        assertEquals(0, again[2] & 0x01, "RD as the client sent it");
        byte[] expected = r.clone();
        DnsWire.setId(expected, 78);
        DnsWire.restoreQuestionCase(expected, DnsWire.question(again).name());
        expected[2] &= ~0x01;
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, again);
        // a changed zone is a different answer, never the memo's old one
        engine.reconfigure(engine.config().withHosts(List.of(DnsConfig.Host.of("192.168.122.11", "web"))));
        byte[] changed = ask(DnsWire.encodeQuery(79, DnsQuestion.in("web.example.com", RecordType.A), true, Optional.empty(), 1232));
        assertEquals(11, changed[changed.length - 1]);
    }

    @Test
    void tooBigForUdpIsTruncatedButFitsWithEdns() {
        byte[] small = ask(DnsWire.encodeQuery(1, DnsQuestion.in("big.example.com", RecordType.TXT), true, Optional.empty(), 1232));
        assertTrue(DnsWire.isTruncated(small));
        byte[] large = ask(DnsWire.encodeQuery(2, DnsQuestion.in("big.example.com", RecordType.TXT), true,
                Optional.of(new Edns(1232, false)), 1232));
        assertTrue(!DnsWire.isTruncated(large) && large.length > 512, "EDNS answer of " + large.length + " bytes");
    }

    @Test
    void forwardedWithoutUpstreamSocketsGetsServfail() {
        byte[] r = ask(DnsWire.encodeQuery(9, DnsQuestion.in("www.vnetd.org", RecordType.A), true, Optional.empty(), 1232));
        assertNotNull(r, "no answer at all");
        assertEquals(ResponseCode.SERVFAIL, DnsWire.rcode(r));
    }

    @Test
    void malformedDatagramsAreDroppedAndTheChannelLives() {
        byte[] hdr = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
        byte[] loop = new byte[hdr.length + 6];
        System.arraycopy(hdr, 0, loop, 0, hdr.length);
        loop[12] = (byte) 0xC0;
        loop[13] = 12;
        loop[15] = 1;
        loop[17] = 1;
        assertNull(ask(hdr));
        assertNull(ask(loop));
        assertNull(ask(new byte[3000]));
        assertNull(ask(new byte[] {1, 2, 3}));
        assertTrue(ch.isOpen());
        assertEquals(4, counters.snapshot().dropped());
        assertNotNull(ask(DnsWire.encodeQuery(5, DnsQuestion.in("web", RecordType.A), true, Optional.empty(), 1232)));
    }
}
