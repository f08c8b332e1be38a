package org.vnetd.core.net;

import java.util.Arrays;

/**
 * Bytes as a value: a copy taken on the way in and handed out on the way out, equal by content. Codecs keep
 * what they do not interpret (an unknown DHCPv6 or NDP option's body) in one, so it survives a round trip and
 * compares as data.
 */
public final class Octets {
    private final byte[] bytes;

    private Octets(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Octets copyOf(byte[] bytes) {
        return new Octets(bytes.clone());
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Octets other && Arrays.equals(other.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length + " bytes";
    }

    /** {@code v} as a checked 32-bit unsigned field of a wire format: {@code what} names it in the error. */
    public static long requireU32(String what, long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(what + " " + v + " does not fit 32 bits");
        }
        return v;
    }
}
