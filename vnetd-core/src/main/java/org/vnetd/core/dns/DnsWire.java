package org.vnetd.core.dns;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The few operations on raw DNS messages (RFC 1035 4.1) that forwarding needs. Upstream answers
 * are relayed as bytes, not decoded and re-encoded: that keeps record types we do not know,
 * compressed names inside RDATA (MX, SOA…) and DNSSEC data intact, as dnsmasq does. Every read is
 * bounds-checked; a bad message raises {@link VnetException} with {@link ErrorCode#DNS}.
 */
public final class DnsWire {
    public static final int HEADER = 12;
    private static final int MAX_POINTER_JUMPS = 64;
    private static final int TYPE_OPT = 41;
    private static final int TYPE_SOA = 6;

    private DnsWire() {
    }

    /** Where the TTLs are and how long the message may be cached ({@code cacheTtl < 0}: not at all). */
    public record Layout(int questionEnd, int[] ttlOffsets, long cacheTtl) {
    }

    public static int id(byte[] m) {
        return u16(m, 0);
    }

    public static void setId(byte[] m, int id) {
        m[0] = (byte) (id >>> 8);
        m[1] = (byte) id;
    }

    public static boolean isResponse(byte[] m) {
        return m.length >= HEADER && (m[2] & 0x80) != 0;
    }

    public static boolean isTruncated(byte[] m) {
        return m.length >= HEADER && (m[2] & 0x02) != 0;
    }

    public static int rcode(byte[] m) {
        return m[3] & 0x0F;
    }

    /** The single question of a message; refuses messages with zero or several questions. */
    public static DnsQuestion question(byte[] m) {
        header(m);
        if (u16(m, 4) != 1) {
            throw bad("question count is " + u16(m, 4) + ", not 1");
        }
        int[] end = new int[1];
        DnsName name = readName(m, HEADER, end);
        int off = end[0];
        need(m, off, 4);
        return new DnsQuestion(name, u16(m, off), u16(m, off + 2));
    }

    /** Walks every record, noting TTL offsets and the TTL the cache may keep the message for. */
    public static Layout scan(byte[] m) {
        header(m);
        int qd = u16(m, 4);
        int total = u16(m, 6) + u16(m, 8) + u16(m, 10);
        int off = HEADER;
        for (int i = 0; i < qd; i++) {
            off = skipName(m, off) + 4;
            need(m, off, 0);
        }
        int questionEnd = off;
        int[] ttls = new int[total];
        int n = 0;
        long minTtl = Long.MAX_VALUE;
        long negativeTtl = -1;
        int answers = u16(m, 6);
        for (int i = 0; i < total; i++) {
            off = skipName(m, off);
            need(m, off, 10);
            int type = u16(m, off);
            long ttl = u32(m, off + 4);
            int rdlen = u16(m, off + 8);
            int rdata = off + 10;
            need(m, rdata, rdlen);
            if (type != TYPE_OPT) {
                ttls[n++] = off + 4;
                minTtl = Math.min(minTtl, ttl);
                boolean authority = i >= answers && i < answers + u16(m, 8);
                if (type == TYPE_SOA && authority) {
                    int p = skipName(m, skipName(m, rdata));
                    if (p + 20 <= rdata + rdlen) {
                        negativeTtl = Math.min(ttl, u32(m, p + 16));
                    }
                }
            }
            off = rdata + rdlen;
        }
        long cacheTtl = -1;
        int rcode = rcode(m);
        if (!isTruncated(m)) {
            if (rcode == ResponseCode.NOERROR && answers > 0) {
                cacheTtl = minTtl;
            } else if (rcode == ResponseCode.NXDOMAIN || rcode == ResponseCode.NOERROR) {
                cacheTtl = negativeTtl;
            }
        }
        return new Layout(questionEnd, Arrays.copyOf(ttls, n), cacheTtl);
    }

    /** A query of our own for the upstream: given id, the question as the client spelt it, EDNS if the client used it. */
    public static byte[] encodeQuery(int id, DnsQuestion q, boolean recursionDesired, Optional<Edns> edns, int ourUdpLimit) {
        byte[] name = q.name().toWire();
        int optLen = edns.isPresent() ? 11 : 0;
        byte[] m = new byte[HEADER + name.length + 4 + optLen];
        setId(m, id);
        m[2] = (byte) (recursionDesired ? 0x01 : 0);
        m[5] = 1;
        m[11] = (byte) (edns.isPresent() ? 1 : 0);
        System.arraycopy(name, 0, m, HEADER, name.length);
        int off = HEADER + name.length;
        put16(m, off, q.type());
        put16(m, off + 2, q.dnsClass());
        if (edns.isPresent()) {
            off += 4;
            m[off] = 0; // root owner name
            put16(m, off + 1, TYPE_OPT);
            put16(m, off + 3, Math.min(edns.get().udpPayloadSize(), ourUdpLimit));
            // extended rcode 0, version 0, DO bit copied from the client
            m[off + 7] = (byte) (edns.get().dnssecOk() ? 0x80 : 0);
        }
        return m;
    }

    /** Header and question only, TC set: tells the client to come back over TCP. */
    public static byte[] truncate(byte[] m, int questionEnd) {
        byte[] t = Arrays.copyOf(m, questionEnd);
        t[2] |= 0x02;
        Arrays.fill(t, 6, 12, (byte) 0);
        return t;
    }

    /** Lowers every TTL by {@code seconds} (never below 0): what a cache must do when it answers. */
    public static void age(byte[] m, int[] ttlOffsets, long seconds) {
        if (seconds <= 0) {
            return;
        }
        for (int off : ttlOffsets) {
            long ttl = Math.max(0, u32(m, off) - seconds);
            m[off] = (byte) (ttl >>> 24);
            m[off + 1] = (byte) (ttl >>> 16);
            m[off + 2] = (byte) (ttl >>> 8);
            m[off + 3] = (byte) ttl;
        }
    }

    /**
     * Writes the client's spelling of the question name over the (literal, first) question name, so a
     * client that randomises case gets its own case back even from the cache.
     */
    public static void restoreQuestionCase(byte[] m, DnsName name) {
        byte[] wire = name.toWire();
        if (m.length < HEADER + wire.length) {
            return;
        }
        String have = new String(m, HEADER, wire.length, StandardCharsets.ISO_8859_1);
        String want = new String(wire, StandardCharsets.ISO_8859_1);
        if (have.equalsIgnoreCase(want)) {
            System.arraycopy(wire, 0, m, HEADER, wire.length);
        }
    }

    /** Offset just after the name at {@code off}; pointers end a name, so skipping never loops. */
    static int skipName(byte[] m, int off) {
        int len = 0;
        while (true) {
            need(m, off, 1);
            int b = m[off] & 0xFF;
            if (b == 0) {
                return off + 1;
            }
            if ((b & 0xC0) == 0xC0) {
                need(m, off, 2);
                return off + 2;
            }
            if ((b & 0xC0) != 0) {
                throw bad("unsupported label type at offset " + off);
            }
            len += b + 1;
            if (len > 255) {
                throw bad("name longer than 255 bytes at offset " + off);
            }
            off += b + 1;
        }
    }

    /**
     * Reads a possibly compressed name. A pointer must point before itself and at most 64 are
     * followed, so a compression loop is refused rather than followed forever.
     */
    static DnsName readName(byte[] m, int off, int[] endOut) {
        StringBuilder sb = new StringBuilder();
        int end = -1;
        int jumps = 0;
        int wire = 1;
        while (true) {
            need(m, off, 1);
            int b = m[off] & 0xFF;
            if (b == 0) {
                if (end < 0) {
                    end = off + 1;
                }
                break;
            }
            if ((b & 0xC0) == 0xC0) {
                need(m, off, 2);
                int target = ((b & 0x3F) << 8) | (m[off + 1] & 0xFF);
                if (target >= off || ++jumps > MAX_POINTER_JUMPS) {
                    throw bad("compression pointer loop at offset " + off);
                }
                if (end < 0) {
                    end = off + 2;
                }
                off = target;
                continue;
            }
            if ((b & 0xC0) != 0) {
                throw bad("unsupported label type at offset " + off);
            }
            need(m, off + 1, b);
            wire += b + 1;
            if (wire > 255) {
                throw bad("name longer than 255 bytes");
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(m, off + 1, b, StandardCharsets.ISO_8859_1));
            off += b + 1;
        }
        endOut[0] = end;
        try {
            return DnsName.of(sb.toString());
        } catch (VnetException e) {
            throw bad("invalid name: " + e.getMessage());
        }
    }

    private static void header(byte[] m) {
        if (m.length < HEADER) {
            throw bad("message of " + m.length + " bytes is shorter than a header");
        }
    }

    private static void need(byte[] m, int off, int n) {
        if (off < 0 || n < 0 || off + n > m.length) {
            throw bad("message ends at " + m.length + " bytes, needs " + (off + n));
        }
    }

    static int u16(byte[] m, int off) {
        need(m, off, 2);
        return ((m[off] & 0xFF) << 8) | (m[off + 1] & 0xFF);
    }

    static long u32(byte[] m, int off) {
        need(m, off, 4);
        return ((long) (m[off] & 0xFF) << 24) | ((m[off + 1] & 0xFF) << 16) | ((m[off + 2] & 0xFF) << 8) | (m[off + 3] & 0xFF);
    }

    private static void put16(byte[] m, int off, int v) {
        m[off] = (byte) (v >>> 8);
        m[off + 1] = (byte) v;
    }

    private static VnetException bad(String why) {
        return new VnetException(ErrorCode.DNS, "malformed DNS message: " + why);
    }
}
