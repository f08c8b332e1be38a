package org.vnetd.daemon.libvirt.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;

/** Writes XDR (RFC 4506); lengths past their declared maximum are refused, as the reader refuses them. */
public final class XdrWriter {
    private static final byte[] PAD = new byte[3];

    private final ByteBuf out;

    public XdrWriter(ByteBuf out) {
        this.out = out;
    }

    public XdrWriter writeInt(int v) {
        out.writeInt(v);
        return this;
    }

    public XdrWriter writeUnsignedInt(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new XdrException("unsigned int " + v + " out of range");
        }
        out.writeInt((int) v);
        return this;
    }

    public XdrWriter writeHyper(long v) {
        out.writeLong(v);
        return this;
    }

    public XdrWriter writeBool(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    public XdrWriter writeDouble(double v) {
        out.writeDouble(v);
        return this;
    }

    public XdrWriter writeString(String s, int max) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8), max);
    }

    public XdrWriter writeOpaque(byte[] b, int max) {
        if (b.length > max) {
            throw new XdrException("opaque of " + b.length + " bytes is longer than its maximum of " + max);
        }
        out.writeInt(b.length);
        return writeFixedOpaque(b);
    }

    public XdrWriter writeFixedOpaque(byte[] b) {
        out.writeBytes(b);
        out.writeBytes(PAD, 0, (4 - (b.length & 3)) & 3);
        return this;
    }

    public <T> XdrWriter writeOptional(Optional<T> v, BiConsumer<XdrWriter, T> element) {
        writeBool(v.isPresent());
        v.ifPresent(x -> element.accept(this, x));
        return this;
    }

    public <T> XdrWriter writeArray(Collection<T> items, int max, BiConsumer<XdrWriter, T> element) {
        if (items.size() > max) {
            throw new XdrException("array of " + items.size() + " elements is longer than its maximum of " + max);
        }
        out.writeInt(items.size());
        for (T t : items) {
            element.accept(this, t);
        }
        return this;
    }
}
