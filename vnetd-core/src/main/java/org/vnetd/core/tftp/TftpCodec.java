package org.vnetd.core.tftp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes TFTP packets (RFC 1350, RFC 2347 options), checking every length against the
 * datagram: a string field must end with a NUL inside the packet, numbers must fit, nothing is read
 * past the end.
 *
 * <p>Leniency, where clients in the wild differ: an ACK or DATA header may be followed by padding
 * (ignored for ACK); NUL bytes after the last option of a request are padding; an ERROR whose text
 * lacks its NUL keeps the text; a request longer than RFC 2347's 512 octets is read all the same (a
 * long path is not an attack, and every field is bounded by the datagram). Filenames must be UTF-8,
 * as Linux paths are written by every tool in use. Everything else that breaks the grammar is
 * malformed.
 */
public final class TftpCodec {
    /** Largest UDP payload; a TFTP packet cannot be longer. */
    public static final int MAX_PACKET = 65_507;
    /** ERROR texts are cut here so an error packet stays within RFC 1350's 512 octets. */
    static final int MAX_ERROR_TEXT = 500;

    private TftpCodec() {
    }

    public static TftpPacket decode(byte[] b) throws MalformedTftpException {
        return decode(b, 0, b.length);
    }

    public static TftpPacket decode(byte[] b, int off, int len) throws MalformedTftpException {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IndexOutOfBoundsException("offset " + off + " length " + len + " of " + b.length);
        }
        if (len < 2) {
            throw new MalformedTftpException("packet of " + len + " byte(s) has no opcode", false);
        }
        if (len > MAX_PACKET) {
            throw new MalformedTftpException("packet of " + len + " bytes is larger than any UDP datagram", false);
        }
        int opcode = u16(b, off);
        Reader r = new Reader(b, off + 2, off + len, opcode == TftpPacket.RRQ || opcode == TftpPacket.WRQ);
        return switch (opcode) {
            case TftpPacket.RRQ, TftpPacket.WRQ -> request(opcode, r);
            case TftpPacket.DATA -> {
                int block = r.u16("block number");
                yield new TftpPacket.Data(block, r.rest());
            }
            case TftpPacket.ACK -> new TftpPacket.Ack(r.u16("block number"));
            case TftpPacket.ERROR -> {
                int code = r.u16("error code");
                yield new TftpPacket.Error(code, r.lenientText());
            }
            case TftpPacket.OACK -> new TftpPacket.OptionAck(r.options());
            default -> throw new MalformedTftpException("unknown opcode " + opcode, false);
        };
    }

    private static TftpPacket request(int opcode, Reader r) throws MalformedTftpException {
        String filename = r.utf8("filename");
        if (filename.isEmpty()) {
            throw new MalformedTftpException("empty filename", true);
        }
        String modeName = r.ascii("transfer mode");
        TransferMode mode = TransferMode.of(modeName)
                .orElseThrow(() -> new MalformedTftpException("unsupported transfer mode '" + printable(modeName) + "'", true));
        Map<String, String> options = r.options();
        return opcode == TftpPacket.RRQ ? new TftpPacket.ReadRequest(filename, mode, options)
                : new TftpPacket.WriteRequest(filename, mode, options);
    }

    public static byte[] encode(TftpPacket p) {
        return switch (p) {
            case TftpPacket.Request q -> {
                Writer w = new Writer(q.opcode());
                w.string(q.filename().getBytes(StandardCharsets.UTF_8));
                w.string(q.mode().wireName().getBytes(StandardCharsets.US_ASCII));
                w.options(q.options());
                yield w.bytes();
            }
            case TftpPacket.Data d -> {
                byte[] out = new byte[4 + d.payload().length];
                put16(out, 0, TftpPacket.DATA);
                put16(out, 2, d.block());
                System.arraycopy(d.payload(), 0, out, 4, d.payload().length);
                yield out;
            }
            case TftpPacket.Ack a -> {
                byte[] out = new byte[4];
                put16(out, 0, TftpPacket.ACK);
                put16(out, 2, a.block());
                yield out;
            }
            case TftpPacket.Error e -> {
                byte[] text = printable(e.message()).getBytes(StandardCharsets.US_ASCII);
                int n = Math.min(text.length, MAX_ERROR_TEXT);
                byte[] out = new byte[4 + n + 1];
                put16(out, 0, TftpPacket.ERROR);
                put16(out, 2, e.code());
                System.arraycopy(text, 0, out, 4, n);
                yield out;
            }
            case TftpPacket.OptionAck o -> {
                Writer w = new Writer(TftpPacket.OACK);
                w.options(o.options());
                yield w.bytes();
            }
        };
    }

    /** {@code s} with every character outside printable ASCII replaced by '?': safe for logs and ERROR texts. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Cursor over one datagram; never reads at or past {@code end}. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private final boolean request;
        private int pos;

        Reader(byte[] b, int pos, int end, boolean request) {
            this.b = b;
            this.pos = pos;
            this.end = end;
            this.request = request;
        }

        int u16(String what) throws MalformedTftpException {
            if (end - pos < 2) {
                throw new MalformedTftpException("truncated: no " + what, request);
            }
            int v = TftpCodec.u16(b, pos);
            pos += 2;
            return v;
        }

        byte[] rest() {
            byte[] out = new byte[end - pos];
            System.arraycopy(b, pos, out, 0, out.length);
            pos = end;
            return out;
        }

        /** Index of the NUL that ends the field starting at {@code pos}, or -1. */
        private int nul() {
            for (int i = pos; i < end; i++) {
                if (b[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        private byte[] field(String what) throws MalformedTftpException {
            if (pos >= end) {
                throw new MalformedTftpException("truncated: no " + what, request);
            }
            int z = nul();
            if (z < 0) {
                throw new MalformedTftpException(what + " is not NUL-terminated", request);
            }
            byte[] out = new byte[z - pos];
            System.arraycopy(b, pos, out, 0, out.length);
            pos = z + 1;
            return out;
        }

        String utf8(String what) throws MalformedTftpException {
            byte[] raw = field(what);
            try {
                CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
                return cb.toString();
            } catch (CharacterCodingException e) {
                throw new MalformedTftpException(what + " is not valid UTF-8", request);
            }
        }

        String ascii(String what) throws MalformedTftpException {
            return new String(field(what), StandardCharsets.ISO_8859_1);
        }

        String lenientText() {
            int z = nul();
            int stop = z < 0 ? end : z;
            String s = new String(b, pos, stop - pos, StandardCharsets.ISO_8859_1);
            pos = z < 0 ? end : z + 1;
            return s;
        }

        /** name/value pairs to the end; the first of a repeated name wins; trailing NULs are padding. */
        Map<String, String> options() throws MalformedTftpException {
            Map<String, String> out = new LinkedHashMap<>();
            while (pos < end) {
                if (b[pos] == 0) {
                    // an empty option name: only NUL padding may follow
                    for (int i = pos; i < end; i++) {
                        if (b[i] != 0) {
                            throw new MalformedTftpException("empty option name", request);
                        }
                    }
                    break;
                }
                String name = ascii("option name").toLowerCase(Locale.ROOT);
                if (pos >= end) {
                    throw new MalformedTftpException("option '" + printable(name) + "' has no value", request);
                }
                String value = ascii("value of option '" + printable(name) + "'");
                out.putIfAbsent(name, value);
            }
            return out;
        }
    }

    private static final class Writer {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);

        Writer(int opcode) {
            out.write(opcode >>> 8);
            out.write(opcode);
        }

        void string(byte[] s) {
            out.writeBytes(s);
            out.write(0);
        }

        void options(Map<String, String> options) {
            for (Map.Entry<String, String> e : options.entrySet()) {
                string(e.getKey().getBytes(StandardCharsets.US_ASCII));
                string(e.getValue().getBytes(StandardCharsets.US_ASCII));
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
