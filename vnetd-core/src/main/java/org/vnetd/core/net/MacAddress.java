package org.vnetd.core.net;

import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A 48-bit Ethernet address; {@link #toString()} is libvirt's canonical lower-case form. */
public record MacAddress(long bits) {
    private static final HexFormat HEX = HexFormat.of();

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits");
        }
    }

    public static MacAddress of(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (either case; also single-digit octets, as libvirt accepts). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]", -1);
        if (parts.length != 6) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "invalid MAC address '%s'", text);
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "invalid MAC address '%s'", text);
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** A random address in QEMU's/libvirt's {@code 52:54:00} prefix. */
    public static MacAddress randomLibvirt(RandomGenerator random) {
        return new MacAddress(0x5254_0000_0000L | (random.nextLong() & 0xFF_FFFFL));
    }

    public byte[] octets() {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return out;
    }

    public int firstOctet() {
        return (int) (bits >>> 40) & 0xFF;
    }

    public boolean isMulticast() {
        return (firstOctet() & 1) != 0;
    }

    public MacAddress withFirstOctet(int octet) {
        return new MacAddress((bits & 0xFF_FFFF_FFFFL) | ((long) (octet & 0xFF) << 40));
    }

    @Override
    public String toString() {
        byte[] o = octets();
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX.toHexDigits(o[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
