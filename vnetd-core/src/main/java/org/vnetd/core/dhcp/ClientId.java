package org.vnetd.core.dhcp;

import java.util.Arrays;
import java.util.HexFormat;

import org.vnetd.core.net.MacAddress;

/**
 * The key a lease belongs to: option 61 when the client sends it, otherwise hardware type + chaddr
 * (RFC 2131 section 4.2). Text form is colon-separated hex, as dnsmasq and libvirt write it.
 */
public record ClientId(byte[] bytes) {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    public ClientId {
        if (bytes.length == 0 || bytes.length > 255) {
            throw new IllegalArgumentException("client identifier must be 1-255 octets, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** The identifier a client without option 61 is known by: type 1 (Ethernet) followed by the MAC. */
    public static ClientId ofMac(MacAddress mac) {
        byte[] b = new byte[7];
        b[0] = 1;
        System.arraycopy(mac.octets(), 0, b, 1, 6);
        return new ClientId(b);
    }

    public static ClientId parse(String hex) {
        String s = hex.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            return new ClientId(s.contains(":") ? HEX.parseHex(s) : HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid client identifier '" + hex + "'", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    /** A 64-bit FNV-1a hash: seeds the address choice so a returning client lands on its old address. */
    public long stableHash() {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientId c && Arrays.equals(bytes, c.bytes);
    }

    /**
     * Not {@code Arrays.hashCode}: over sequential MACs (a VM farm, a test client) its polynomial
     * collides massively (a step of 1 in one octet equals a step of 31 in the next), which turned the
     * lease maps' buckets into trees scanned by equals().
     */
    @Override
    public int hashCode() {
        return Long.hashCode(stableHash());
    }

    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }
}
