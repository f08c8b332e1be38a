package org.vnetd.daemon.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One record of the definitions log: the whole stored state of one network after a change (its XML
 * and autostart flag, or {@code xml == null} once undefined), and {@code base}, what its file held when
 * the record was written (replay's test for a hand edit, {@link ConfigDirStore}). The last record of a
 * name wins.
 */
record DefinitionRecord(String name, byte[] xml, boolean autostart, Fingerprint base) {
    private static final int PRESENT = 1;
    private static final int AUTOSTART = 2;

    boolean present() {
        return xml != null;
    }

    /** The payload the log frames (with its generation first, so a stale record never passes for a current one). */
    byte[] encode(long generation) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int xmlLength = xml == null ? 0 : xml.length;
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 8 + 2 + n.length + 4 + xmlLength);
        b.putLong(generation);
        b.put((byte) ((present() ? PRESENT : 0) | (autostart ? AUTOSTART : 0)));
        b.putInt(base.crc()).putInt(base.length());
        b.putShort((short) n.length).put(n);
        b.putInt(xmlLength);
        if (xml != null) {
            b.put(xml);
        }
        return b.array();
    }

    static long generationOf(ByteBuffer payload) {
        return payload.getLong(payload.position());
    }

    /** Decodes a payload whose CRC matched; a payload that does not parse is an {@link IllegalArgumentException}. */
    static DefinitionRecord decode(ByteBuffer payload) {
        try {
            ByteBuffer b = payload.duplicate();
            b.getLong();
            int flags = b.get();
            Fingerprint base = new Fingerprint(b.getInt(), b.getInt());
            byte[] n = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(n);
            byte[] xml = new byte[b.getInt()];
            b.get(xml);
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the record");
            }
            return new DefinitionRecord(new String(n, StandardCharsets.UTF_8), (flags & PRESENT) != 0 ? xml : null,
                    (flags & AUTOSTART) != 0, base);
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("a record shorter than its fields", e);
        }
    }
}
