package org.vnetd.daemon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: header fields and its payload (fixed header + attributes) as a
 * read-only buffer in host order, positioned at 0.
 */
record NlMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {
    /**
     * Splits a datagram into messages, following nlmsg_len with 4-byte alignment. A truncated or
     * malformed header ends the walk with an exception rather than misreading the rest.
     */
    static List<NlMessage> parseAll(ByteBuffer datagram) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        int pos = b.position();
        int limit = b.limit();
        while (limit - pos >= Nl.NLMSG_HDRLEN) {
            int len = b.getInt(pos);
            if (len < Nl.NLMSG_HDRLEN || len > limit - pos) {
                throw new IllegalStateException("malformed netlink message: length " + len + " at offset " + pos
                        + " of a " + limit + "-byte datagram");
            }
            int type = b.getShort(pos + 4) & 0xFFFF;
            int flags = b.getShort(pos + 6) & 0xFFFF;
            int seq = b.getInt(pos + 8);
            int pid = b.getInt(pos + 12);
            ByteBuffer payload = b.slice(pos + Nl.NLMSG_HDRLEN, len - Nl.NLMSG_HDRLEN).order(ByteOrder.nativeOrder())
                    .asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            out.add(new NlMessage(type, flags, seq, pid, payload));
            pos += Nl.align(len);
        }
        return out;
    }

    /** Attributes following a fixed header of {@code headerLen} bytes. */
    NlAttrs attrs(int headerLen) {
        return NlAttrs.parse(payload, Nl.align(headerLen));
    }
}
