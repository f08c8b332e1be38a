package org.vnetd.core.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The data of a locally answered record, as typed values. {@link #encode()} gives the RDATA bytes;
 * names inside RDATA are written uncompressed, which every resolver accepts.
 */
public sealed interface Rdata {
    int type();

    byte[] encode();

    record A(Inet4Address address) implements Rdata {
        @Override
        public int type() {
            return RecordType.A.code();
        }

        @Override
        public byte[] encode() {
            return address.getAddress();
        }
    }

    record Aaaa(Inet6Address address) implements Rdata {
        @Override
        public int type() {
            return RecordType.AAAA.code();
        }

        @Override
        public byte[] encode() {
            return address.getAddress();
        }
    }

    record Ptr(DnsName target) implements Rdata {
        @Override
        public int type() {
            return RecordType.PTR.code();
        }

        @Override
        public byte[] encode() {
            return target.toWire();
        }
    }

    record Cname(DnsName target) implements Rdata {
        @Override
        public int type() {
            return RecordType.CNAME.code();
        }

        @Override
        public byte[] encode() {
            return target.toWire();
        }
    }

    /** RFC 2782; a target of the root means "service not available here". */
    record Srv(int priority, int weight, int port, DnsName target) implements Rdata {
        public Srv {
            check16("priority", priority);
            check16("weight", weight);
            check16("port", port);
        }

        @Override
        public int type() {
            return RecordType.SRV.code();
        }

        @Override
        public byte[] encode() {
            byte[] t = target.toWire();
            return ByteBuffer.allocate(6 + t.length).putShort((short) priority).putShort((short) weight)
                    .putShort((short) port).put(t).array();
        }
    }

    /**
     * A text value. On the wire it becomes one character-string, or several of 255 bytes when
     * longer (RFC 7208 section 3.3 joins them again); TXT strings are opaque octets.
     */
    record Txt(String value) implements Rdata {
        @Override
        public int type() {
            return RecordType.TXT.code();
        }

        @Override
        public byte[] encode() {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 255 + 1);
            int i = 0;
            do {
                int n = Math.min(255, b.length - i);
                out.write(n);
                out.write(b, i, n);
                i += n;
            } while (i < b.length);
            return out.toByteArray();
        }
    }

    /** Start of authority, sent in the authority section of negative answers so resolvers can cache them. */
    record Soa(DnsName mname, DnsName rname, long serial, int refresh, int retry, int expire, long minimum) implements Rdata {
        @Override
        public int type() {
            return RecordType.SOA.code();
        }

        @Override
        public byte[] encode() {
            byte[] m = mname.toWire();
            byte[] r = rname.toWire();
            return ByteBuffer.allocate(m.length + r.length + 20).put(m).put(r).putInt((int) serial).putInt(refresh)
                    .putInt(retry).putInt(expire).putInt((int) minimum).array();
        }
    }

    private static void check16(String what, int v) {
        if (v < 0 || v > 0xFFFF) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "SRV %s %d out of range 0-65535", what, v);
        }
    }
}
