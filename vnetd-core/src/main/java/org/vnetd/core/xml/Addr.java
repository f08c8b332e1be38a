package org.vnetd.core.xml;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.xml.model.IpDef;

/** Address helpers with libvirt's semantics (virsocketaddr.c): prefixes, masks, range checks. */
final class Addr {
    private Addr() {
    }

    /** Parses a literal or returns null. */
    static InetAddress tryParse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return IpAddresses.parse(text);
        } catch (VnetException | IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    static int bits(InetAddress a) {
        return isV4(a) ? 32 : 128;
    }

    static BigInteger value(InetAddress a) {
        return IpAddresses.toBigInteger(a);
    }

    static String format(InetAddress a) {
        return IpAddresses.format(a);
    }

    static BigInteger mask(int prefix, int bits) {
        if (prefix <= 0) {
            return BigInteger.ZERO;
        }
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
    }

    /** Number of leading one bits of a contiguous netmask, or -1 if it is not one. */
    static int netmaskBits(InetAddress netmask) {
        BigInteger v = value(netmask);
        int bits = bits(netmask);
        for (int p = 0; p <= bits; p++) {
            if (mask(p, bits).equals(v)) {
                return p;
            }
        }
        return -1;
    }

    /** virSocketAddrGetIPPrefix: explicit prefix, netmask bits, classful IPv4, 64 for IPv6. */
    static int prefixOf(InetAddress address, InetAddress netmask, int prefix) {
        if (prefix > 0) {
            return prefix;
        }
        if (netmask != null) {
            return netmaskBits(netmask);
        }
        if (address == null) {
            return 0;
        }
        return IpDef.defaultPrefix(address);
    }

    static boolean sameNetwork(InetAddress a, InetAddress b, int prefix) {
        if (isV4(a) != isV4(b)) {
            return false;
        }
        BigInteger m = mask(prefix, bits(a));
        return value(a).and(m).equals(value(b).and(m));
    }

    /**
     * virSocketAddrGetRange: checks a range against its network (when given) and returns its size.
     * Messages are libvirt's.
     */
    static long checkRange(InetAddress start, InetAddress end, InetAddress network, int prefix) {
        String s = format(start);
        String e = format(end);
        if (isV4(start) != isV4(end)) {
            throw fail("mismatch of address family in range %s - %s", s, e);
        }
        if (network != null) {
            String n = format(network);
            if (isV4(start) != isV4(network)) {
                throw fail("mismatch of address family in range %s - %s for network %s", s, e, n);
            }
            if (prefix < 0 || prefix > bits(network)) {
                throw fail("bad prefix %d for network %s when checking range %s - %s", prefix, n, s, e);
            }
            if (!sameNetwork(start, network, prefix) || !sameNetwork(end, network, prefix)) {
                throw fail("range %s - %s is not entirely within network %s/%d", s, e, n, prefix);
            }
            if (isV4(start)) {
                BigInteger m = mask(prefix, 32);
                BigInteger netaddr = value(network).and(m);
                BigInteger broadcast = netaddr.or(m.xor(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)));
                if (value(start).equals(netaddr)) {
                    throw fail("start of range %s - %s in network %s/%d is the network address", s, e, n, prefix);
                }
                if (value(end).equals(broadcast)) {
                    throw fail("end of range %s - %s in network %s/%d is the broadcast address", s, e, n, prefix);
                }
            }
        }
        BigInteger high = BigInteger.ONE.shiftLeft(16).subtract(BigInteger.ONE).not();
        if (!value(start).and(high).equals(value(end).and(high))) {
            throw fail("range %s - %s is too large (> 65535)", s, e);
        }
        long size = value(end).subtract(value(start)).longValue();
        if (size < 0) {
            throw fail(isV4(start) ? "range %s - %s is reversed" : "range %s - %s start larger than end", s, e);
        }
        return size + 1;
    }

    private static VnetException fail(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_VALIDATION, fmt, args);
    }
}
