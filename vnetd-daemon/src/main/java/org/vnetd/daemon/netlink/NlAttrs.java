package org.vnetd.daemon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The attributes of a message or of a nest, by type (NLA_F_NESTED and byte-order bits stripped). When a
 * type repeats, the last one wins, which is what the rtnetlink dumps we read need.
 */
final class NlAttrs {
    private final Map<Integer, ByteBuffer> byType;

    private NlAttrs(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    static NlAttrs parse(ByteBuffer buf, int offset) {
        Map<Integer, ByteBuffer> map = new HashMap<>();
        int pos = offset;
        int limit = buf.limit();
        while (limit - pos >= 4) {
            int len = buf.getShort(pos) & 0xFFFF;
            int type = buf.getShort(pos + 2) & Nl.NLA_TYPE_MASK;
            if (len < 4 || len > limit - pos) {
                break; // a malformed tail; the kernel never sends one, and we do not guess
            }
            map.put(type, buf.slice(pos + 4, len - 4).order(ByteOrder.nativeOrder()));
            pos += Nl.align(len);
        }
        return new NlAttrs(map);
    }

    boolean has(int type) {
        return byType.containsKey(type);
    }

    Optional<ByteBuffer> raw(int type) {
        return Optional.ofNullable(byType.get(type));
    }

    Optional<byte[]> bytes(int type) {
        return raw(type).map(b -> {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        });
    }

    OptionalInt u32(int type) {
        ByteBuffer b = byType.get(type);
        return b == null || b.remaining() < 4 ? OptionalInt.empty() : OptionalInt.of(b.getInt(0));
    }

    Optional<String> string(int type) {
        return bytes(type).map(b -> {
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        });
    }

    Optional<NlAttrs> nested(int type) {
        return raw(type).map(b -> parse(b, 0));
    }
}
