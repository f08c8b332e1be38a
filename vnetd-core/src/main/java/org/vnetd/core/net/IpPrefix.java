package org.vnetd.core.net;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** An address with a prefix length, e.g. {@code 192.168.122.1/24}; the address keeps its host bits. */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = maxLength(address);
        if (length < 0 || length > max) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "prefix /%d out of range 0-%d for %s",
                    length, max, address.getHostAddress());
        }
    }

    public static IpPrefix parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "'%s' is not ADDRESS/PREFIX", cidr);
        }
        try {
            return new IpPrefix(IpAddresses.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "'%s' has an invalid prefix length", cidr);
        }
    }

    public static int maxLength(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The network address (host bits cleared). */
    public InetAddress network() {
        return IpAddresses.fromBigInteger(IpAddresses.toBigInteger(address).and(mask()), isIpv4());
    }

    public IpPrefix networkPrefix() {
        return new IpPrefix(network(), length);
    }

    /** The IPv4 broadcast address; for IPv6 the last address of the prefix. */
    public InetAddress broadcast() {
        BigInteger all = BigInteger.ONE.shiftLeft(maxLength(address)).subtract(BigInteger.ONE);
        return IpAddresses.fromBigInteger(IpAddresses.toBigInteger(address).or(all.xor(mask())), isIpv4());
    }

    public boolean contains(InetAddress a) {
        if ((a instanceof Inet4Address) != isIpv4()) {
            return false;
        }
        return IpAddresses.toBigInteger(a).and(mask()).equals(IpAddresses.toBigInteger(address).and(mask()));
    }

    public boolean overlaps(IpPrefix other) {
        if (other.isIpv4() != isIpv4()) {
            return false;
        }
        IpPrefix shorter = other.length < length ? other : this;
        IpPrefix longer = shorter == this ? other : this;
        return shorter.contains(longer.address);
    }

    public BigInteger mask() {
        int max = maxLength(address);
        BigInteger all = BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE);
        return all.xor(BigInteger.ONE.shiftLeft(max - length).subtract(BigInteger.ONE));
    }

    /** The IPv4 netmask in dotted form, e.g. 255.255.255.0. */
    public InetAddress netmask() {
        return IpAddresses.fromBigInteger(mask(), isIpv4());
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + length;
    }

    static InetAddress byAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
