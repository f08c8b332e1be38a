package org.vnetd.core.dhcp6;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A DHCP unique identifier (RFC 8415 §11): opaque bytes, 1 to 130 of them, written as libvirt and
 * virsh write them, colon-separated hex ({@code 00:01:00:01:…}).
 */
public record Duid(byte[] bytes) {
    public static final int MAX_LENGTH = 130;

    public Duid {
        if (bytes.length < 1 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a DUID has 1-" + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * {@code 00:01:00:01:2a:…} (groups of one or two hex digits, as libvirt accepts {@code 0:3:0:1:…}) or
     * plain hex; anything else is XML_VALIDATION naming the text.
     */
    public static Duid parse(String text) {
        try {
            if (text.contains(":")) {
                String[] groups = text.split(":", -1);
                byte[] b = new byte[groups.length];
                for (int i = 0; i < groups.length; i++) {
                    if (groups[i].isEmpty() || groups[i].length() > 2) {
                        throw new IllegalArgumentException("group " + i);
                    }
                    b[i] = (byte) HexFormat.fromHexDigits(groups[i]);
                }
                return new Duid(b);
            }
            String hex = text.toLowerCase(Locale.ROOT);
            if (hex.isEmpty() || hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd length");
            }
            return new Duid(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "'%s' is not a DUID (hex bytes, colon-separated)", text);
        }
    }

    /**
     * The Ethernet address a DUID-LLT (type 1) or DUID-LL (type 3) of hardware type 1 carries, as dnsmasq
     * reports it for a DHCPv6 lease; empty for any other DUID.
     */
    public java.util.Optional<org.vnetd.core.net.MacAddress> macAddress() {
        int type = ((bytes[0] & 0xff) << 8) | (bytes.length > 1 ? bytes[1] & 0xff : 0);
        int header = type == 1 ? 8 : type == 3 ? 4 : -1;
        if (header < 0 || bytes.length != header + 6 || bytes[2] != 0 || bytes[3] != 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(org.vnetd.core.net.MacAddress.of(Arrays.copyOfRange(bytes, header, header + 6)));
    }

    /** Puts the bytes into {@code out} (no copy, as {@link #bytes()} makes). */
    public void writeTo(java.nio.ByteBuffer out) {
        out.put(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Duid d && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
