package org.vnetd.core.dns;

import java.io.ByteArrayOutputStream;

import org.vnetd.core.net.IpAddresses;

/** Hand-built messages, byte by byte, for wire tests. */
final class WireFixtures {
    private WireFixtures() {
    }

    /** A response with one A answer whose owner is a compression pointer to the question. */
    static byte[] answerA(int id, String name, long ttl, String ip) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        short16(o, id);
        short16(o, 0x8180);
        short16(o, 1);
        short16(o, 1);
        short16(o, 0);
        short16(o, 0);
        o.writeBytes(DnsName.of(name).toWire());
        short16(o, 1);
        short16(o, 1);
        short16(o, 0xC00C);
        short16(o, 1);
        short16(o, 1);
        int32(o, ttl);
        short16(o, 4);
        o.writeBytes(IpAddresses.parse(ip).getAddress());
        return o.toByteArray();
    }

    /** NXDOMAIN with an SOA (ttl {@code soaTtl}, minimum {@code minimum}) in the authority section. */
    static byte[] nxdomain(int id, String name, long soaTtl, long minimum) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        short16(o, id);
        short16(o, 0x8183);
        short16(o, 1);
        short16(o, 0);
        short16(o, 1);
        short16(o, 0);
        o.writeBytes(DnsName.of(name).toWire());
        short16(o, 1);
        short16(o, 1);
        o.writeBytes(DnsName.of("org").toWire());
        short16(o, 6);
        short16(o, 1);
        int32(o, soaTtl);
        byte[] m = DnsName.of("ns.org").toWire();
        byte[] r = DnsName.of("hostmaster.org").toWire();
        short16(o, m.length + r.length + 20);
        o.writeBytes(m);
        o.writeBytes(r);
        int32(o, 1);
        int32(o, 2);
        int32(o, 3);
        int32(o, 4);
        int32(o, minimum);
        return o.toByteArray();
    }

    static void short16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    static void int32(ByteArrayOutputStream o, long v) {
        short16(o, (int) (v >>> 16) & 0xFFFF);
        short16(o, (int) v & 0xFFFF);
    }
}
