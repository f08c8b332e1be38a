package org.vnetd.daemon.libvirt.xdr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;

/**
 * Reads XDR (RFC 4506) from a buffer: big-endian 4-byte units, variable data padded to 4 bytes.
 * Every length is checked against the declared maximum and against what is left before anything is
 * allocated, so a hostile length costs nothing.
 */
public final class XdrReader {
    private final ByteBuf in;

    public XdrReader(ByteBuf in) {
        this.in = in;
    }

    public int readInt() {
        need(4, "int");
        return in.readInt();
    }

    /** An XDR unsigned int, as a long so values past 2^31 stay positive. */
    public long readUnsignedInt() {
        need(4, "unsigned int");
        return in.readUnsignedInt();
    }

    public long readHyper() {
        need(8, "hyper");
        return in.readLong();
    }

    public boolean readBool() {
        int v = readInt();
        if (v != 0 && v != 1) {
            throw new XdrException("bool is " + v + ", not 0 or 1");
        }
        return v == 1;
    }

    public double readDouble() {
        need(8, "double");
        return in.readDouble();
    }

    /** A string of at most {@code max} bytes (XDR {@code string<max>}), decoded as UTF-8. */
    public String readString(int max) {
        return new String(readOpaque(max, "string"), StandardCharsets.UTF_8);
    }

    /** Variable-length opaque data of at most {@code max} bytes. */
    public byte[] readOpaque(int max) {
        return readOpaque(max, "opaque");
    }

    private byte[] readOpaque(int max, String what) {
        long len = readUnsignedInt();
        if (len > max) {
            throw new XdrException(what + " of " + len + " bytes is longer than its maximum of " + max);
        }
        return readFixed((int) len, what);
    }

    /** Fixed-length opaque data ({@code opaque x[n]}). */
    public byte[] readFixedOpaque(int n) {
        return readFixed(n, "fixed opaque");
    }

    private byte[] readFixed(int n, String what) {
        int padded = (n + 3) & ~3;
        need(padded, what + " of " + n + " bytes");
        byte[] b = new byte[n];
        in.readBytes(b);
        in.skipBytes(padded - n);
        return b;
    }

    /** An optional value ({@code T *x}): a bool, then the value when true. */
    public <T> Optional<T> readOptional(Function<XdrReader, T> element) {
        return readBool() ? Optional.of(element.apply(this)) : Optional.empty();
    }

    /** A variable-length array of at most {@code max} elements ({@code T x<max>}). */
    public <T> List<T> readArray(int max, Function<XdrReader, T> element) {
        long n = readUnsignedInt();
        if (n > max) {
            throw new XdrException("array of " + n + " elements is longer than its maximum of " + max);
        }
        // every element takes at least 4 bytes: a count beyond what is left is a lie
        if (n * 4 > in.readableBytes()) {
            throw new XdrException("array of " + n + " elements does not fit in the " + in.readableBytes() + " bytes left");
        }
        List<T> out = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(element.apply(this));
        }
        return out;
    }

    /** Fails unless everything was read: trailing bytes mean the sender meant another shape. */
    public void end() {
        if (in.isReadable()) {
            throw new XdrException(in.readableBytes() + " unexpected bytes after the arguments");
        }
    }

    private void need(int n, String what) {
        if (in.readableBytes() < n) {
            throw new XdrException("truncated: " + what + " needs " + n + " bytes, " + in.readableBytes() + " left");
        }
    }
}
