package org.vnetd.core.dhcp6;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The addresses of one {@code <range>} as offsets from its start, in long arithmetic: the allocation
 * probes offsets on every new binding, and 128-bit BigInteger arithmetic per probe was the allocation
 * path's cost. A range of more than 2^63 - 1 addresses (wider than any pool a guest network hands out)
 * offers its first 2^63 - 1.
 */
final class AddressSpan {
    private final byte[] start;
    private final byte[] end;
    private final long size;

    AddressSpan(Inet6Address start, Inet6Address end) {
        this.start = start.getAddress();
        this.end = end.getAddress();
        BigInteger n = new BigInteger(1, this.end).subtract(new BigInteger(1, this.start)).add(BigInteger.ONE);
        this.size = n.signum() <= 0 ? 0 : n.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
    }

    /** How many addresses it offers; 0 when its end is before its start. */
    long size() {
        return size;
    }

    /** The address {@code offset} (0 to size - 1) after the start. */
    Inet6Address at(long offset) {
        byte[] a = start.clone();
        long carry = offset;
        for (int i = 15; i >= 0 && carry != 0; i--) {
            long sum = (a[i] & 0xff) + (carry & 0xff);
            a[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    boolean contains(Inet6Address a) {
        byte[] b = a.getAddress();
        return Arrays.compareUnsigned(b, start) >= 0 && Arrays.compareUnsigned(b, end) <= 0;
    }
}
