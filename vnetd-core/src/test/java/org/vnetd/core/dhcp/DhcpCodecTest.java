package org.vnetd.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class DhcpCodecTest {
    private static byte[] discover() {
        return DhcpCodec.encode(Msg.of(DhcpMessageType.DISCOVER).hostname("guest1").prl(1, 3, 6, 15, 26).build());
    }

    @Test
    void roundTripKeepsEveryField() {
        DhcpMessage m = Msg.of(DhcpMessageType.REQUEST).xid(0xdeadbeef).broadcast().ciaddr("10.0.0.7")
                .giaddr("10.0.0.254").requested("10.0.0.7").clientId(0xff, 1, 2, 3).hostname("vm").build();
        DhcpMessage back = DhcpCodec.decode(DhcpCodec.encode(m));
        assertEquals(m, back);
        assertEquals(DhcpMessageType.REQUEST, back.messageType());
        assertEquals("ff:01:02:03", back.clientId().toString());
        assertEquals("vm", back.hostname());
        assertTrue(back.broadcastFlag());
    }

    @Test
    void encodesAtLeastBootpSizeAndEndsOptions() {
        byte[] b = discover();
        assertEquals(300, b.length);
        assertEquals(0x63, b[236] & 0xFF);
    }

    @Test
    void unknownMessageTypeAndOptionSurviveRoundTrip() {
        DhcpMessage m = Msg.of(DhcpMessageType.valueOf(42)).option(224, new byte[] {9, 8, 7}).build();
        DhcpMessage back = DhcpCodec.decode(DhcpCodec.encode(m));
        assertEquals("Unknown(42)", back.messageType().toString());
        assertArrayEquals(new byte[] {9, 8, 7}, back.options().get(224));
        assertEquals("Unknown(224)", DhcpOptionCode.valueOf(224).toString());
    }

    @Test
    void truncatedIsRefused() {
        byte[] b = discover();
        for (int len : new int[] {0, 1, 100, 235, 236, 239}) {
            MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(b, 0, len));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void badCookieIsRefused() {
        byte[] b = discover();
        b[239] = 0x64;
        MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(b));
        assertTrue(e.getMessage().contains("cookie"), e.getMessage());
    }

    @Test
    void optionLengthPastEndIsRefused() {
        byte[] b = Arrays.copyOf(discover(), 246);
        b[240] = 12;
        b[241] = 50; // 50 bytes claimed, 4 present
        MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(b));
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
        byte[] c = Arrays.copyOf(discover(), 241);
        c[240] = 12; // code without a length octet
        assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(c));
    }

    @Test
    void hugeDatagramIsRefused() {
        byte[] b = Arrays.copyOf(discover(), 65536);
        assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(b));
    }

    @Test
    void padIsSkippedAndMissingEndTolerated() {
        byte[] b = new byte[250];
        System.arraycopy(discover(), 0, b, 0, 240);
        b[240] = 0;
        b[241] = 0;
        b[242] = 53;
        b[243] = 1;
        b[244] = 1;
        // no End: options run to the end of the datagram, all padding
        DhcpMessage m = DhcpCodec.decode(b);
        assertEquals(DhcpMessageType.DISCOVER, m.messageType());
    }

    /** A REQUEST whose options say (52) that file and sname hold options too, with hostname "ab" in the options field. */
    private static byte[] overloadedRequest() {
        byte[] b = new byte[300];
        System.arraycopy(discover(), 0, b, 0, 240);
        int o = 240;
        b[o++] = 53; b[o++] = 1; b[o++] = 3;
        b[o++] = 52; b[o++] = 1; b[o++] = 3;
        b[o++] = 12; b[o++] = 2; b[o++] = 'a'; b[o++] = 'b';
        b[o] = (byte) 255;
        return b;
    }

    @Test
    void overloadedFileAndSnameAreParsedInOrder() {
        byte[] b = overloadedRequest();
        int f = 108;
        b[f++] = 12; b[f++] = 1; b[f++] = 'c';
        b[f++] = 50; b[f++] = 4; b[f++] = 10; b[f++] = 0; b[f++] = 0; b[f++] = 9;
        b[f] = (byte) 255;
        int s = 44;
        b[s++] = 12; b[s++] = 1; b[s++] = 'd';
        b[s] = (byte) 255;
        DhcpMessage m = DhcpCodec.decode(b);
        assertEquals("abcd", m.hostname()); // RFC 3396: options, then file, then sname, concatenated
        assertEquals(Msg.ip("10.0.0.9"), m.requestedIp());
        assertTrue(Arrays.equals(new byte[128], m.file()));
    }

    @Test
    void decodesInPlaceFromASliceOfAReusedArray() {
        byte[] b = overloadedRequest();
        b[108] = 12; b[109] = 1; b[110] = 'c'; b[111] = (byte) 255;
        b[44] = 12; b[45] = 1; b[46] = 'd'; b[47] = (byte) 255;
        // the message at offset 7 of a larger array full of junk, as a transport's reused buffer holds it
        byte[] reused = new byte[1000];
        Arrays.fill(reused, (byte) 0x5a);
        System.arraycopy(b, 0, reused, 7, b.length);
        DhcpMessage m = DhcpCodec.decode(reused, 7, b.length);
        assertEquals(DhcpCodec.decode(b), m);
        assertEquals("abcd", m.hostname());
        Arrays.fill(reused, (byte) 0); // what the message keeps is its own: the next datagram overwrites the array
        assertEquals(DhcpCodec.decode(b), m);
        // an option running past the slice is refused even though the array goes on
        System.arraycopy(b, 0, reused, 7, b.length);
        reused[7 + 241] = 3; // option 53 at 240 now claims 3 octets: 245 > 244
        MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(reused, 7, 244));
        assertTrue(e.getMessage().contains("option 53 at offset 240"), e.getMessage());
    }

    @Test
    void encodingIntoADirtyArrayGivesTheSameBytesAsAFreshOne() {
        byte[] out = new byte[DhcpCodec.MAX_DATAGRAM];
        Arrays.fill(out, (byte) 0xa5);
        DhcpMessage m = Msg.of(DhcpMessageType.ACK).xid(7).requested("10.0.0.7").hostname("vm").build();
        int n = DhcpCodec.encode(m, 576, out);
        assertArrayEquals(DhcpCodec.encode(m, 576), Arrays.copyOf(out, n));
        // and the overloaded shape, which is encoded on its own and copied in
        DhcpMessage big = manyOptions();
        n = DhcpCodec.encode(big, 576, out);
        assertArrayEquals(DhcpCodec.encode(big, 576), Arrays.copyOf(out, n));
    }

    @Test
    void overloadLengthPastEndOfFileIsRefused() {
        byte[] b = new byte[300];
        System.arraycopy(discover(), 0, b, 0, 240);
        b[240] = 52; b[241] = 1; b[242] = 1; b[243] = (byte) 255;
        b[108 + 120] = 12;
        b[108 + 121] = 10; // runs past the 128-byte file field
        MalformedDhcpException e = assertThrows(MalformedDhcpException.class, () -> DhcpCodec.decode(b));
        assertTrue(e.getMessage().contains("file"), e.getMessage());
    }

    /** An ACK with twelve 30-octet options: more than the options field of a 576-octet datagram holds. */
    private static DhcpMessage manyOptions() {
        DhcpOptions.Builder o = DhcpOptions.builder().putByte(53, 5);
        for (int c = 100; c < 112; c++) {
            o.put(c, new byte[30]);
        }
        return new DhcpMessage(2, 1, 6, 0, 1, 0, 0, DhcpMessage.ZERO, DhcpMessage.ZERO, DhcpMessage.ZERO,
                DhcpMessage.ZERO, new byte[6], null, null, o.build());
    }

    @Test
    void encoderOverloadsIntoFileAndSnameWhenOptionsDoNotFit() {
        DhcpMessage m = manyOptions();
        byte[] b = DhcpCodec.encode(m, 576);
        assertTrue(b.length <= 576 - 28, "fits 576 with IP/UDP headers: " + b.length);
        DhcpMessage back = DhcpCodec.decode(b);
        for (int c = 100; c < 112; c++) {
            assertEquals(30, back.options().get(c).length, "option " + c);
        }
        byte[] big = DhcpCodec.encode(m, 1500);
        assertEquals(-1, DhcpCodec.decode(big).options().getByte(52));
    }

    @Test
    void longOptionsAreSplitAndConcatenated() {
        byte[] v = new byte[600];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) i;
        }
        DhcpMessage m = new DhcpMessage(2, 1, 6, 0, 1, 0, 0, DhcpMessage.ZERO, DhcpMessage.ZERO, DhcpMessage.ZERO,
                DhcpMessage.ZERO, new byte[6], null, null, DhcpOptions.builder().putByte(53, 5).put(120, v).build());
        assertArrayEquals(v, DhcpCodec.decode(DhcpCodec.encode(m, 1500)).options().get(120));
    }

    @Test
    void fqdnIsReadInBothEncodings() {
        byte[] wire = {0x04, 0, 0, 3, 'v', 'm', '1', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0};
        DhcpMessage m = Msg.of(DhcpMessageType.REQUEST).option(81, wire).build();
        assertEquals("vm1.example", m.fqdn());
        assertEquals("vm1.example", m.hostname());
        byte[] ascii = {0x00, 0, 0, 'h', 'o', 's', 't'};
        assertEquals("host", Msg.of(DhcpMessageType.REQUEST).option(81, ascii).build().fqdn());
        byte[] broken = {0x04, 0, 0, 30, 'a'};
        assertNull(Msg.of(DhcpMessageType.REQUEST).option(81, broken).build().fqdn());
    }

    @Test
    void clientIdFallsBackToHardwareAddress() {
        DhcpMessage m = Msg.of(DhcpMessageType.DISCOVER).mac("52:54:00:aa:bb:cc").build();
        assertEquals("01:52:54:00:aa:bb:cc", m.clientId().toString());
        assertEquals(ClientId.ofMac(m.mac()), m.clientId());
    }

    @Test
    void maxMessageSizeIsRead() {
        DhcpMessage m = Msg.of(DhcpMessageType.DISCOVER).option(57, new byte[] {0x05, (byte) 0xdc}).build();
        assertEquals(1500, m.maxMessageSize());
        assertEquals(-1, Msg.of(DhcpMessageType.DISCOVER).option(57, new byte[] {1}).build().maxMessageSize());
    }
}
