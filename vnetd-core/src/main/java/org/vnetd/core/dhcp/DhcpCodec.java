package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vnetd.core.net.IpAddresses;

/**
 * Bytes to {@link DhcpMessage} and back (RFC 2131 section 2, RFC 2132, RFC 3396). Every length is
 * checked against the end of its field before it is read; the decoder never reads past the datagram.
 */
public final class DhcpCodec {
    /** op..file: the fixed BOOTP header. */
    public static final int HEADER_LENGTH = 236;
    public static final int MAGIC_COOKIE = 0x63825363;
    /** The smallest message every DHCP client must accept (RFC 2131 section 2). */
    public static final int MIN_MAX_MESSAGE_SIZE = 576;
    /** IPv4 + UDP headers: option 57 counts the whole IP datagram, the codec only the DHCP payload. */
    public static final int IP_UDP_OVERHEAD = 28;
    /** Larger datagrams are refused outright: no link vnetd serves carries a bigger DHCP message. */
    public static final int MAX_DATAGRAM = 9000;
    /** BOOTP relays and old clients expect at least a BOOTP-sized (300 octet) message. */
    private static final int MIN_ENCODED = 300;

    private static final int SNAME_OFFSET = 44;
    private static final int FILE_OFFSET = 108;
    private static final int OPTIONS_OFFSET = 240;

    private DhcpCodec() {
    }

    public static DhcpMessage decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    public static DhcpMessage decode(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off + len > data.length) {
            throw new IllegalArgumentException("slice outside the array");
        }
        if (len > MAX_DATAGRAM) {
            throw new MalformedDhcpException("datagram of " + len + " bytes is larger than " + MAX_DATAGRAM);
        }
        if (len < OPTIONS_OFFSET) {
            throw new MalformedDhcpException("truncated: " + len + " bytes, a DHCP message has at least " + OPTIONS_OFFSET);
        }
        // read in place (the transport reuses its receive array): every field kept is copied out below
        byte[] d = data;
        int op = d[off] & 0xFF;
        if (op != DhcpMessage.BOOTREQUEST && op != DhcpMessage.BOOTREPLY) {
            throw new MalformedDhcpException("op " + op + " is neither BOOTREQUEST nor BOOTREPLY");
        }
        int hlen = d[off + 2] & 0xFF;
        if (hlen > 16) {
            throw new MalformedDhcpException("hlen " + hlen + " is larger than chaddr (16)");
        }
        int cookie = readInt(d, off + HEADER_LENGTH);
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedDhcpException(String.format("bad magic cookie %08x at offset 236", cookie));
        }
        DhcpOptions.Builder opts = DhcpOptions.builder();
        int overload = parseOptions(d, off, OPTIONS_OFFSET, len, "options", opts, true);
        // empty fields (nearly every client message) stay null: the message shares one zero array
        byte[] sname = isZero(d, off + SNAME_OFFSET, 64) ? null : Arrays.copyOfRange(d, off + SNAME_OFFSET, off + SNAME_OFFSET + 64);
        byte[] file = isZero(d, off + FILE_OFFSET, 128) ? null : Arrays.copyOfRange(d, off + FILE_OFFSET, off + FILE_OFFSET + 128);
        // RFC 2131 4.1: options, then file, then sname
        if ((overload & 1) != 0) {
            parseOptions(d, off, FILE_OFFSET, FILE_OFFSET + 128, "file", opts, false);
            file = null;
        }
        if ((overload & 2) != 0) {
            parseOptions(d, off, SNAME_OFFSET, SNAME_OFFSET + 64, "sname", opts, false);
            sname = null;
        }
        return new DhcpMessage(op, d[off + 1] & 0xFF, hlen, d[off + 3] & 0xFF, readInt(d, off + 4), readShort(d, off + 8),
                readShort(d, off + 10), addr(d, off + 12), addr(d, off + 16), addr(d, off + 20), addr(d, off + 24),
                Arrays.copyOfRange(d, off + 28, off + 44), sname, file, opts.build());
    }

    /**
     * Parses one option area, {@code start..end} of the message that begins at {@code base} in
     * {@code d}; returns the overload value (option 52) found there, 0 when none. Offsets in errors
     * are the message's.
     */
    private static int parseOptions(byte[] d, int base, int start, int end, String area, DhcpOptions.Builder out, boolean main) {
        int overload = 0;
        int i = start;
        while (i < end) {
            int code = d[base + i] & 0xFF;
            if (code == DhcpOptionCode.PAD) {
                i++;
                continue;
            }
            if (code == DhcpOptionCode.END) {
                return overload;
            }
            if (i + 1 >= end) {
                throw new MalformedDhcpException("option " + code + " at offset " + i + " of " + area + " has no length octet");
            }
            int olen = d[base + i + 1] & 0xFF;
            if (i + 2 + olen > end) {
                throw new MalformedDhcpException("option " + code + " at offset " + i + " of " + area + " has length " + olen
                        + " running past the end (" + (end - i - 2) + " bytes left)");
            }
            if (code == DhcpOptionCode.OVERLOAD) {
                int value = olen == 1 ? d[base + i + 2] & 0xFF : 0;
                if (value < 1 || value > 3) {
                    throw new MalformedDhcpException("option overload at offset " + i + " must be one octet 1-3");
                }
                if (main) {
                    overload = value;
                }
            } else {
                out.append(code, d, base + i + 2, olen);
            }
            i += 2 + olen;
        }
        // a missing End is tolerated: several embedded clients omit it, and the lengths were all checked
        return overload;
    }

    /** Encodes with the RFC 2131 minimum limit of 576 octets per IP datagram. */
    public static byte[] encode(DhcpMessage m) {
        return encode(m, MIN_MAX_MESSAGE_SIZE);
    }

    /**
     * Encodes {@code m} so that the IP datagram fits {@code maxMessageSize} (option 57 semantics, at
     * least 576). Options that do not fit go to {@code file} then {@code sname} (option 52) when those
     * are empty; options that still do not fit are left out, last ones first.
     */
    public static byte[] encode(DhcpMessage m, int maxMessageSize) {
        int plain = plainLength(m, maxMessageSize);
        if (plain > 0) {
            byte[] out = new byte[plain];
            writePlain(m, out);
            return out;
        }
        return encodeOverloaded(m, maxMessageSize);
    }

    /**
     * Like {@link #encode(DhcpMessage, int)}, into {@code out} (at least {@link #MAX_DATAGRAM} long,
     * e.g. a transport's reused send array); returns the encoded length.
     */
    public static int encode(DhcpMessage m, int maxMessageSize, byte[] out) {
        int plain = plainLength(m, maxMessageSize);
        if (plain > 0) {
            Arrays.fill(out, 0, plain, (byte) 0); // the header's empty fields are zeros, whatever the array held
            writePlain(m, out);
            return plain;
        }
        byte[] b = encodeOverloaded(m, maxMessageSize); // rare: long option values
        System.arraycopy(b, 0, out, 0, b.length);
        return b.length;
    }

    private static int limit(int maxMessageSize) {
        return Math.min(Math.max(maxMessageSize, MIN_MAX_MESSAGE_SIZE), MAX_DATAGRAM + IP_UDP_OVERHEAD) - IP_UDP_OVERHEAD;
    }

    /** The encoded length when every option fits the options field as is (the usual case), else 0. */
    private static int plainLength(DhcpMessage m, int maxMessageSize) {
        DhcpOptions opts = m.options();
        int need = 0;
        for (int i = 0; i < opts.size(); i++) {
            int len = opts.valueAt(i).length;
            need += len + 2 * Math.max(1, (len + 254) / 255); // RFC 3396: a long value in 255-octet pieces
        }
        return OPTIONS_OFFSET + need + 1 <= limit(maxMessageSize) ? Math.max(OPTIONS_OFFSET + need + 1, MIN_ENCODED) : 0;
    }

    /** Header, options, End into a zeroed {@code out} of {@link #plainLength} or more. */
    private static void writePlain(DhcpMessage m, byte[] out) {
        DhcpOptions opts = m.options();
        writeHeader(m, out);
        int pos = OPTIONS_OFFSET;
        for (int i = 0; i < opts.size(); i++) {
            pos = writeOption(out, pos, opts.codeAt(i), opts.valueAt(i));
        }
        out[pos] = (byte) DhcpOptionCode.END;
    }

    /** Options past the options field go to {@code file} then {@code sname} (option 52). */
    private static byte[] encodeOverloaded(DhcpMessage m, int maxMessageSize) {
        int limit = limit(maxMessageSize);
        DhcpOptions opts = m.options();
        List<int[]> chunks = new ArrayList<>(); // {code, valueIndex, offset, length}
        List<byte[]> vals = new ArrayList<>();
        for (int i = 0; i < opts.size(); i++) {
            int code = opts.codeAt(i);
            byte[] v = opts.valueAt(i);
            vals.add(v);
            int vi = vals.size() - 1;
            if (v.length == 0) {
                chunks.add(new int[] {code, vi, 0, 0});
            }
            for (int o = 0; o < v.length; o += 255) {
                chunks.add(new int[] {code, vi, o, Math.min(255, v.length - o)});
            }
        }
        int total = 0;
        for (int[] c : chunks) {
            total += 2 + c[3];
        }
        byte[] out = new byte[Math.max(limit, MIN_ENCODED)];
        writeHeader(m, out);
        int end;
        if (OPTIONS_OFFSET + total + 1 <= limit) {
            end = writeChunks(out, OPTIONS_OFFSET, limit - 1, chunks, vals, 0, chunks.size());
            out[end++] = (byte) DhcpOptionCode.END;
        } else {
            boolean fileFree = isZero(m.rawFile(), 0, 128);
            boolean snameFree = isZero(m.rawSname(), 0, 64);
            int next = 0;
            int mainEnd = limit - 1 - ((fileFree || snameFree) ? 3 : 0);
            int pos = OPTIONS_OFFSET;
            while (next < chunks.size() && pos + 2 + chunks.get(next)[3] <= mainEnd) {
                pos = writeChunks(out, pos, mainEnd, chunks, vals, next, next + 1);
                next++;
            }
            int overload = 0;
            if (next < chunks.size() && fileFree) {
                int p = FILE_OFFSET;
                while (next < chunks.size() && p + 2 + chunks.get(next)[3] <= FILE_OFFSET + 127) {
                    p = writeChunks(out, p, FILE_OFFSET + 127, chunks, vals, next, next + 1);
                    next++;
                }
                out[p] = (byte) DhcpOptionCode.END;
                overload |= 1;
            }
            if (next < chunks.size() && snameFree) {
                int p = SNAME_OFFSET;
                while (next < chunks.size() && p + 2 + chunks.get(next)[3] <= SNAME_OFFSET + 63) {
                    p = writeChunks(out, p, SNAME_OFFSET + 63, chunks, vals, next, next + 1);
                    next++;
                }
                out[p] = (byte) DhcpOptionCode.END;
                overload |= 2;
            }
            if (overload != 0) {
                out[pos++] = (byte) DhcpOptionCode.OVERLOAD;
                out[pos++] = 1;
                out[pos++] = (byte) overload;
            }
            out[pos++] = (byte) DhcpOptionCode.END;
            end = pos;
        }
        return Arrays.copyOf(out, Math.max(end, MIN_ENCODED));
    }

    private static int writeOption(byte[] out, int pos, int code, byte[] v) {
        int o = 0;
        do {
            int n = Math.min(255, v.length - o);
            out[pos++] = (byte) code;
            out[pos++] = (byte) n;
            System.arraycopy(v, o, out, pos, n);
            pos += n;
            o += n;
        } while (o < v.length);
        return pos;
    }

    private static int writeChunks(byte[] out, int pos, int areaEnd, List<int[]> chunks, List<byte[]> vals, int from, int to) {
        for (int k = from; k < to; k++) {
            int[] c = chunks.get(k);
            if (pos + 2 + c[3] > areaEnd) {
                throw new IllegalStateException("option does not fit its area");
            }
            out[pos++] = (byte) c[0];
            out[pos++] = (byte) c[3];
            System.arraycopy(vals.get(c[1]), c[2], out, pos, c[3]);
            pos += c[3];
        }
        return pos;
    }

    private static void writeHeader(DhcpMessage m, byte[] out) {
        out[0] = (byte) m.op();
        out[1] = (byte) m.htype();
        out[2] = (byte) m.hlen();
        out[3] = (byte) m.hops();
        writeInt(out, 4, m.xid());
        out[8] = (byte) (m.secs() >>> 8);
        out[9] = (byte) m.secs();
        out[10] = (byte) (m.flags() >>> 8);
        out[11] = (byte) m.flags();
        writeInt(out, 12, IpAddresses.toInt(m.ciaddr()));
        writeInt(out, 16, IpAddresses.toInt(m.yiaddr()));
        writeInt(out, 20, IpAddresses.toInt(m.siaddr()));
        writeInt(out, 24, IpAddresses.toInt(m.giaddr()));
        System.arraycopy(m.rawChaddr(), 0, out, 28, 16);
        System.arraycopy(m.rawSname(), 0, out, SNAME_OFFSET, 64);
        System.arraycopy(m.rawFile(), 0, out, FILE_OFFSET, 128);
        writeInt(out, HEADER_LENGTH, MAGIC_COOKIE);
    }

    private static boolean isZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int readInt(byte[] d, int o) {
        return ((d[o] & 0xFF) << 24) | ((d[o + 1] & 0xFF) << 16) | ((d[o + 2] & 0xFF) << 8) | (d[o + 3] & 0xFF);
    }

    private static int readShort(byte[] d, int o) {
        return ((d[o] & 0xFF) << 8) | (d[o + 1] & 0xFF);
    }

    private static void writeInt(byte[] d, int o, int v) {
        d[o] = (byte) (v >>> 24);
        d[o + 1] = (byte) (v >>> 16);
        d[o + 2] = (byte) (v >>> 8);
        d[o + 3] = (byte) v;
    }

    private static Inet4Address addr(byte[] d, int o) {
        int v = readInt(d, o);
        return v == 0 ? DhcpMessage.ZERO : IpAddresses.fromInt(v); // most address fields of a request are 0
    }
}
