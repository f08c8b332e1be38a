package org.vnetd.core.ra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.vnetd.core.net.Octets;
import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

class NdpCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A router solicitation as Linux sends it: header, then a source link-layer address option. */
    static final byte[] RS_WITH_SLLA = HEX.parseHex("85000000" + "00000000" + "0101" + "525400aabbcc");

    /**
     * The advertisement of a stateful network, byte by byte: type 134, hop limit 64, M and O, router
     * lifetime 1800, source link-layer 52:54:00:12:34:56, MTU 9000, prefix 2001:db8:ca2:2::/64 with
     * L only and 3600 s lifetimes, RDNSS 2001:db8:ca2:2::1 for 3600 s.
     */
    static final byte[] RA_STATEFUL = HEX.parseHex("86000000" + "40c00708" + "00000000" + "00000000"
            + "0101525400123456"
            + "0501000000002328"
            + "0304408000000e1000000e1000000000" + "20010db80ca200020000000000000000"
            + "1903000000000e10" + "20010db80ca200020000000000000001");

    static Inet6Address v6(String s) throws Exception {
        return (Inet6Address) InetAddress.getByName(s);
    }

    static NdpMessage.RouterAdvertisement stateful() throws Exception {
        return new NdpMessage.RouterAdvertisement(64, true, true, 1800, 0, 0, List.of(
                new NdpOption.SourceLinkLayer(MacAddress.parse("52:54:00:12:34:56")),
                new NdpOption.Mtu(9000),
                new NdpOption.PrefixInformation(IpPrefix.parse("2001:db8:ca2:2::/64"), true, false, 3600, 3600),
                new NdpOption.Rdnss(3600, List.of(v6("2001:db8:ca2:2::1")))));
    }

    @Test
    void encodesAnAdvertisementByteForByte() throws Exception {
        assertEquals(HEX.formatHex(RA_STATEFUL), HEX.formatHex(NdpCodec.encode(stateful())));
    }

    @Test
    void decodesWhatItEncodes() throws Exception {
        assertEquals(stateful(), NdpCodec.decode(RA_STATEFUL, RA_STATEFUL.length));
    }

    @Test
    void autonomousFlagAndInfiniteLifetimes() throws Exception {
        var ra = new NdpMessage.RouterAdvertisement(64, false, false, 0, 0, 0, List.of(
                new NdpOption.PrefixInformation(IpPrefix.parse("fd00:1::/64"), true, true, NdpOption.INFINITE, NdpOption.INFINITE)));
        byte[] b = NdpCodec.encode(ra);
        assertEquals("86000000" + "40000000" + "00000000" + "00000000"
                + "030440c0" + "ffffffff" + "ffffffff" + "00000000" + "fd000001000000000000000000000000",
                HEX.formatHex(b));
        assertEquals(ra, NdpCodec.decode(b, b.length));
    }

    @Test
    void decodesASolicitationWithItsLinkLayerAddress() {
        var m = NdpCodec.decode(RS_WITH_SLLA, RS_WITH_SLLA.length);
        var rs = assertInstanceOf(NdpMessage.RouterSolicitation.class, m);
        assertEquals(Optional.of(MacAddress.parse("52:54:00:aa:bb:cc")), rs.sourceLinkLayer());
    }

    @Test
    void unknownOptionsSurviveARoundTrip() {
        byte[] rs = HEX.parseHex("85000000" + "00000000" + "0e01aabbccddeeff");
        var m = NdpCodec.decode(rs, rs.length);
        assertEquals(List.of(new NdpOption.Unknown(14, Octets.copyOf(HEX.parseHex("aabbccddeeff")))), m.options());
        assertArrayEquals(rs, NdpCodec.encode(m));
    }

    @Test
    void onlyTheGivenLengthCounts() {
        byte[] padded = new byte[64];
        System.arraycopy(RS_WITH_SLLA, 0, padded, 0, RS_WITH_SLLA.length);
        assertEquals(1, NdpCodec.decode(padded, RS_WITH_SLLA.length).options().size());
    }

    @Test
    void malformedMessagesNameWhatIsWrong() {
        assertMalformed("85000000000000", "shorter than its 8-byte header");
        assertMalformed("85010000" + "00000000", "code 1");
        assertMalformed("80000000" + "00000000", "type 128 is not a router solicitation");
        assertMalformed("85000000" + "00000000" + "0100525400aabbcc", "length 0");
        assertMalformed("85000000" + "00000000" + "0102525400aabbcc", "claims 16 bytes but only 8 remain");
        assertMalformed("85000000" + "00000000" + "01", "cut off");
        assertMalformed("86000000" + "40000000" + "00000000" + "00000000" + "0301" + "000000000000", "must be 4");
        assertMalformed("86000000" + "40000000" + "00000000" + "00000000" + "1902" + "00000000000000000000000000000000"
                + "0000000000000000000000000000", "must be odd");
        assertMalformed("86000000" + "40000000" + "00000000" + "00000000" + "0304" + "81c0" + "0".repeat(56), "prefix length 129");
    }

    private static void assertMalformed(String hex, String expected) {
        byte[] b = HEX.parseHex(hex);
        var e = assertThrows(MalformedNdpException.class, () -> NdpCodec.decode(b, b.length));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
