package org.vnetd.core.dhcp6;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.vnetd.core.net.Octets;
import org.junit.jupiter.api.Test;

class Dhcp6CodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * A SOLICIT as ISC dhclient -6 sends it, byte by byte: transaction 0x0a0b0c, client id DUID-LLT,
     * option request (DNS servers, domain list), elapsed time 0, IA_NA with IAID 0x11223344 and no address.
     */
    static final byte[] SOLICIT = HEX.parseHex("010a0b0c"
            + "0001000e" + "000100012a2b2c2d525400aabbcc"
            + "00060004" + "00170018"
            + "00080002" + "0000"
            + "0003000c" + "11223344" + "00000000" + "00000000");

    static Inet6Address v6(String s) throws Exception {
        return (Inet6Address) InetAddress.getByName(s);
    }

    static final Duid CLIENT = Duid.parse("00:01:00:01:2a:2b:2c:2d:52:54:00:aa:bb:cc");

    @Test
    void decodesASolicit() {
        Dhcp6Message m = Dhcp6Codec.decode(SOLICIT, SOLICIT.length);
        assertEquals(Dhcp6MessageType.SOLICIT, m.type());
        assertEquals(0x0a0b0c, m.transactionId());
        assertEquals(List.of(new Dhcp6Option.ClientId(CLIENT), new Dhcp6Option.OptionRequest(List.of(23, 24)),
                new Dhcp6Option.ElapsedTime(0), new Dhcp6Option.IaNa(0x11223344L, 0, 0, List.of())), m.options());
        assertArrayEquals(SOLICIT, Dhcp6Codec.encode(m));
    }

    @Test
    void encodesAReplyByteForByte() throws Exception {
        Dhcp6Message reply = new Dhcp6Message(Dhcp6MessageType.REPLY, 0x0a0b0c, List.of(
                new Dhcp6Option.ServerId(Duid.parse("00:03:00:01:52:54:00:12:34:56")),
                new Dhcp6Option.ClientId(CLIENT),
                new Dhcp6Option.IaNa(0x11223344L, 1800, 2880, List.of(
                        new Dhcp6Option.IaAddress(v6("fd00::100"), 3600, 3600, List.of()))),
                new Dhcp6Option.DnsServers(List.of(v6("fd00::1"))),
                new Dhcp6Option.DomainList(List.of("example.com")),
                new Dhcp6Option.RapidCommit(),
                new Dhcp6Option.StatusCode(0, "ok")));
        String expected = "070a0b0c"
                + "0002000a" + "00030001525400123456"
                + "0001000e" + "000100012a2b2c2d525400aabbcc"
                + "00030028" + "11223344" + "00000708" + "00000b40"
                + "00050018" + "fd000000000000000000000000000100" + "00000e10" + "00000e10"
                + "00170010" + "fd000000000000000000000000000001"
                + "0018000d" + "076578616d706c6503636f6d00"
                + "000e0000"
                + "000d0004" + "0000" + "6f6b";
        byte[] b = Dhcp6Codec.encode(reply);
        assertEquals(expected, HEX.formatHex(b));
        assertEquals(reply, Dhcp6Codec.decode(b, b.length));
    }

    @Test
    void unknownOptionsAndTypesSurviveARoundTrip() {
        byte[] b = HEX.parseHex("2a000001" + "fff00003" + "010203");
        Dhcp6Message m = Dhcp6Codec.decode(b, b.length);
        assertEquals(Dhcp6MessageType.valueOf(42), m.type());
        assertEquals(List.of(new Dhcp6Option.Unknown(0xfff0, Octets.copyOf(new byte[] {1, 2, 3}))), m.options());
        assertArrayEquals(b, Dhcp6Codec.encode(m));
    }

    @Test
    void duidsReadAndPrintAsVirshDoes() {
        assertEquals("00:01:00:01:2a:2b:2c:2d:52:54:00:aa:bb:cc", CLIENT.toString());
        assertEquals(CLIENT, Duid.parse("000100012A2B2C2D525400AABBCC"));
        assertEquals(Duid.parse("00:03:00:01:00:16:3e:11:22:33"), Duid.parse("0:3:0:1:0:16:3e:11:22:33"), "libvirt's short groups");
        assertThrows(RuntimeException.class, () -> Duid.parse("00::01"));
        assertThrows(RuntimeException.class, () -> Duid.parse("000"));
        assertThrows(RuntimeException.class, () -> Duid.parse("zz"));
    }

    @Test
    void malformedMessagesNameWhatIsWrong() {
        assertMalformed("0100", "shorter than its 4-byte header");
        assertMalformed("0c000000", "relay message");
        assertMalformed("01000000" + "0001", "cut off");
        assertMalformed("01000000" + "00010010" + "0001", "claims 16 bytes but only 2 remain");
        assertMalformed("01000000" + "00010000", "DUID of 0 bytes");
        assertMalformed("01000000" + "00030004" + "00000000", "at least 12");
        assertMalformed("01000000" + "00060003" + "001700", "odd length");
        assertMalformed("01000000" + "00080001" + "00", "must be 2");
        assertMalformed("01000000" + "000e0001" + "00", "must be 0");
        assertMalformed("01000000" + "00170004" + "00000000", "not 16 × n");
        assertMalformed("01000000" + "00180003" + "056162", "bad label length 5");
        assertMalformed("01000000" + "00180002" + "0161", "ends inside a name");
        assertMalformed("01000000" + "00030010" + "112233440000000000000000" + "00050000", "at least 24");
    }

    @Test
    void clientFqdnFullyQualifiedPartialAndEmpty() {
        // flags S, "gamma.example.com" with the root label; "gamma" without; an empty name (busybox udhcpc6 sends it)
        Dhcp6Message full = Dhcp6Codec.decode(HEX.parseHex("01000000" + "00270014" + "01" + "0567616d6d61076578616d706c6503636f6d00"), 28);
        assertEquals(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.S, "gamma.example.com", true),
                full.option(Dhcp6Option.ClientFqdn.class).orElseThrow());
        byte[] partial = HEX.parseHex("01000000" + "00270007" + "04" + "0567616d6d61");
        Dhcp6Message p = Dhcp6Codec.decode(partial, partial.length);
        assertEquals(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.N, "gamma", false), p.option(Dhcp6Option.ClientFqdn.class).orElseThrow());
        assertArrayEquals(partial, Dhcp6Codec.encode(p));
        byte[] empty = HEX.parseHex("01000000" + "00270001" + "00");
        assertEquals(new Dhcp6Option.ClientFqdn(0, "", false),
                Dhcp6Codec.decode(empty, empty.length).option(Dhcp6Option.ClientFqdn.class).orElseThrow());
        assertArrayEquals(HEX.parseHex("0700000000270014030567616d6d61076578616d706c6503636f6d00"), Dhcp6Codec.encode(new Dhcp6Message(
                Dhcp6MessageType.REPLY, 0, List.of(new Dhcp6Option.ClientFqdn(3, "gamma.example.com", true)))));
        assertMalformed("01000000" + "00270000", "at least 1");
        assertMalformed("01000000" + "00270004" + "00" + "00" + "0161", "after the root label");
        assertMalformed("01000000" + "00270005" + "00" + "03612e62", "a label with a dot");
        assertMalformed("01000000" + "00270003" + "00" + "0561", "bad label length 5");
    }

    @Test
    void aSeededFuzzNeverThrowsAnythingButMalformed() {
        SplittableRandom random = new SplittableRandom(20261207);
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] b = Arrays.copyOf(SOLICIT, 4 + random.nextInt(SOLICIT.length));
            for (int k = random.nextInt(1, 5); k > 0; k--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                Dhcp6Message m = Dhcp6Codec.decode(b, b.length);
                assertEquals(m, Dhcp6Codec.decode(Dhcp6Codec.encode(m), Dhcp6Codec.encode(m).length));
                decoded++;
            } catch (MalformedDhcp6Exception expected) {
                // dropped and counted by the server
            }
        }
        assertTrue(decoded > 0 && decoded < 50_000, "some mutations decode, some do not: " + decoded);
    }

    private static void assertMalformed(String hex, String expected) {
        byte[] b = HEX.parseHex(hex);
        var e = assertThrows(MalformedDhcp6Exception.class, () -> Dhcp6Codec.decode(b, b.length));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
