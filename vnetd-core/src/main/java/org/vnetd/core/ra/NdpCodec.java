package org.vnetd.core.ra;

import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.net.Octets;

/**
 * Router solicitations and advertisements to ICMPv6 bytes and back, nothing more. The checksum field
 * is written as zero and not checked: a raw ICMPv6 socket has the kernel fill it in on send and drop
 * datagrams whose checksum is wrong on receive (RFC 3542 §3.1).
 */
public final class NdpCodec {
    private static final int RS_HEADER = 8;
    private static final int RA_HEADER = 16;

    private NdpCodec() {
    }

    public static byte[] encode(NdpMessage message) {
        ByteBuffer b = ByteBuffer.allocate(1280);
        switch (message) {
            case NdpMessage.RouterSolicitation rs -> {
                b.put((byte) NdpMessage.ICMP_ROUTER_SOLICITATION).put((byte) 0).putShort((short) 0).putInt(0);
            }
            case NdpMessage.RouterAdvertisement ra -> {
                b.put((byte) NdpMessage.ICMP_ROUTER_ADVERTISEMENT).put((byte) 0).putShort((short) 0);
                b.put((byte) ra.curHopLimit()).put((byte) ((ra.managed() ? 0x80 : 0) | (ra.other() ? 0x40 : 0)));
                b.putShort((short) ra.routerLifetime()).putInt((int) ra.reachableTime()).putInt((int) ra.retransTimer());
            }
        }
        for (NdpOption o : message.options()) {
            putOption(b, o);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void putOption(ByteBuffer b, NdpOption option) {
        switch (option) {
            case NdpOption.SourceLinkLayer s -> b.put((byte) s.type()).put((byte) 1).put(s.mac().octets());
            case NdpOption.PrefixInformation p -> {
                b.put((byte) p.type()).put((byte) 4).put((byte) p.prefix().length())
                        .put((byte) ((p.onLink() ? 0x80 : 0) | (p.autonomous() ? 0x40 : 0)))
                        .putInt((int) p.validLifetime()).putInt((int) p.preferredLifetime()).putInt(0)
                        .put(p.prefix().address().getAddress());
            }
            case NdpOption.Mtu m -> b.put((byte) m.type()).put((byte) 1).putShort((short) 0).putInt((int) m.mtu());
            case NdpOption.Rdnss r -> {
                b.put((byte) r.type()).put((byte) (1 + 2 * r.servers().size())).putShort((short) 0).putInt((int) r.lifetime());
                r.servers().forEach(a -> b.put(a.getAddress()));
            }
            case NdpOption.Unknown u -> {
                byte[] body = u.body().toByteArray();
                int units = (body.length + 2 + 7) / 8;
                b.put((byte) u.type()).put((byte) units).put(body);
                for (int i = body.length + 2; i < units * 8; i++) {
                    b.put((byte) 0);
                }
            }
        }
    }

    /**
     * Decodes a router solicitation or advertisement; any other ICMPv6 type, a non-zero code, a short
     * header, an option of length 0 or one running past the end is a {@link MalformedNdpException}
     * naming the offset (the validity checks of RFC 4861 §6.1.1 and §6.1.2 that the payload carries).
     */
    public static NdpMessage decode(byte[] data, int length) {
        if (length < 4) {
            throw new MalformedNdpException("ICMPv6 message of " + length + " bytes is shorter than its 4-byte header");
        }
        int type = data[0] & 0xff;
        int code = data[1] & 0xff;
        if (code != 0) {
            throw new MalformedNdpException("ICMPv6 type " + type + " with code " + code + " (router discovery uses code 0)");
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        return switch (type) {
            case NdpMessage.ICMP_ROUTER_SOLICITATION -> {
                requireLength(length, RS_HEADER, "router solicitation");
                yield new NdpMessage.RouterSolicitation(options(b, RS_HEADER, length));
            }
            case NdpMessage.ICMP_ROUTER_ADVERTISEMENT -> {
                requireLength(length, RA_HEADER, "router advertisement");
                int hop = data[4] & 0xff;
                int flags = data[5] & 0xff;
                int lifetime = b.getShort(6) & 0xffff;
                long reachable = b.getInt(8) & 0xffffffffL;
                long retrans = b.getInt(12) & 0xffffffffL;
                yield new NdpMessage.RouterAdvertisement(hop, (flags & 0x80) != 0, (flags & 0x40) != 0, lifetime, reachable,
                        retrans, options(b, RA_HEADER, length));
            }
            default -> throw new MalformedNdpException("ICMPv6 type " + type + " is not a router solicitation (133) or advertisement (134)");
        };
    }

    private static void requireLength(int length, int header, String what) {
        if (length < header) {
            throw new MalformedNdpException(what + " of " + length + " bytes is shorter than its " + header + "-byte header");
        }
    }

    private static List<NdpOption> options(ByteBuffer b, int start, int end) {
        List<NdpOption> out = new ArrayList<>();
        int at = start;
        while (at < end) {
            if (end - at < 2) {
                throw new MalformedNdpException("option at offset " + at + " is cut off after " + (end - at) + " byte");
            }
            int type = b.get(at) & 0xff;
            int units = b.get(at + 1) & 0xff;
            if (units == 0) {
                throw new MalformedNdpException("option type " + type + " at offset " + at + " has length 0");
            }
            int len = units * 8;
            if (at + len > end) {
                throw new MalformedNdpException("option type " + type + " at offset " + at + " claims " + len
                        + " bytes but only " + (end - at) + " remain");
            }
            try {
                out.add(option(b.slice(at, len), type, units, at));
            } catch (BufferUnderflowException e) {
                throw new MalformedNdpException("option type " + type + " at offset " + at + " is too short");
            }
            at += len;
        }
        return out;
    }

    private static NdpOption option(ByteBuffer o, int type, int units, int at) {
        switch (type) {
            case NdpOption.SourceLinkLayer.TYPE -> {
                if (units == 1) {
                    byte[] mac = new byte[6];
                    o.get(2, mac);
                    return new NdpOption.SourceLinkLayer(MacAddress.of(mac));
                }
            }
            case NdpOption.PrefixInformation.TYPE -> {
                if (units != 4) {
                    throw new MalformedNdpException("prefix information at offset " + at + " has length " + units + " (must be 4)");
                }
                int len = o.get(2) & 0xff;
                if (len > 128) {
                    throw new MalformedNdpException("prefix information at offset " + at + " has prefix length " + len);
                }
                int flags = o.get(3) & 0xff;
                byte[] prefix = new byte[16];
                o.get(16, prefix);
                return new NdpOption.PrefixInformation(new IpPrefix(inet6(prefix), len), (flags & 0x80) != 0, (flags & 0x40) != 0,
                        o.getInt(4) & 0xffffffffL, o.getInt(8) & 0xffffffffL);
            }
            case NdpOption.Mtu.TYPE -> {
                if (units != 1) {
                    throw new MalformedNdpException("MTU option at offset " + at + " has length " + units + " (must be 1)");
                }
                return new NdpOption.Mtu(o.getInt(4) & 0xffffffffL);
            }
            case NdpOption.Rdnss.TYPE -> {
                if (units < 3 || units % 2 == 0) {
                    throw new MalformedNdpException("RDNSS option at offset " + at + " has length " + units + " (must be odd, at least 3)");
                }
                List<Inet6Address> servers = new ArrayList<>();
                for (int i = 8; i < units * 8; i += 16) {
                    byte[] a = new byte[16];
                    o.get(i, a);
                    servers.add(inet6(a));
                }
                return new NdpOption.Rdnss(o.getInt(4) & 0xffffffffL, servers);
            }
            default -> {
            }
        }
        byte[] body = new byte[units * 8 - 2];
        o.get(2, body);
        return new NdpOption.Unknown(type, Octets.copyOf(body));
    }

    private static Inet6Address inet6(byte[] sixteen) {
        try {
            // getByAddress turns an IPv4-mapped address into an Inet4Address; build the IPv6 form explicitly
            return Inet6Address.getByAddress(null, sixteen, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
