package org.vnetd.daemon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds one netlink request: the 16-byte nlmsghdr, the family's fixed header (ifinfomsg, ifaddrmsg…)
 * written with {@link #u8}/{@link #u16}/{@link #u32}, then attributes, each padded to 4 bytes
 * (NLA_ALIGNTO), nests closed with their final length. Host byte order, as netlink expects. The
 * sequence number is left 0 here and set by the socket when it sends.
 */
final class NlMessageWriter {
    /** Enough for every request we build; a nest-heavy one grows the buffer. */
    private static final int INITIAL = 512;
    private static final int MAX = 64 * 1024;

    private ByteBuffer buf = ByteBuffer.allocate(INITIAL).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();

    NlMessageWriter(int type, int flags) {
        buf.putInt(0); // nlmsg_len, patched in finish()
        buf.putShort((short) type);
        buf.putShort((short) flags);
        buf.putInt(0); // nlmsg_seq, set by NetlinkSocket
        buf.putInt(0); // nlmsg_pid: 0, the kernel assigns our port
    }

    int type() {
        return buf.getShort(4) & 0xFFFF;
    }

    private void ensure(int more) {
        if (buf.remaining() >= more + 3) {
            return;
        }
        int need = buf.position() + more + 3;
        if (need > MAX) {
            throw new IllegalArgumentException("netlink request larger than " + MAX + " bytes");
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX, Math.max(need, 2 * buf.capacity()))).order(ByteOrder.nativeOrder());
        bigger.put(buf.flip());
        buf = bigger;
    }

    NlMessageWriter u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    NlMessageWriter u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    NlMessageWriter u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    NlMessageWriter attr(int type, byte[] value) {
        int len = 4 + value.length;
        ensure(len);
        buf.putShort((short) len);
        buf.putShort((short) type);
        buf.put(value);
        pad();
        return this;
    }

    NlMessageWriter attrU8(int type, int v) {
        return attr(type, new byte[] {(byte) v});
    }

    NlMessageWriter attrU32(int type, int v) {
        ensure(8);
        buf.putShort((short) 8);
        buf.putShort((short) type);
        buf.putInt(v);
        return this;
    }

    /** NUL-terminated string (NLA_NUL_STRING / NLA_STRING both accept the terminator). */
    NlMessageWriter attrString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return attr(type, z);
    }

    NlMessageWriter beginNest(int type) {
        ensure(4);
        nests.push(buf.position());
        buf.putShort((short) 0);
        buf.putShort((short) (type | Nl.NLA_F_NESTED));
        return this;
    }

    NlMessageWriter endNest() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** Starts a nested fixed header + attributes without NLA_F_NESTED (VETH_INFO_PEER carries an ifinfomsg). */
    NlMessageWriter beginNestRaw(int type) {
        ensure(4);
        nests.push(buf.position());
        buf.putShort((short) 0);
        buf.putShort((short) type);
        return this;
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    /** The finished message with its length patched in; further writes are not allowed. */
    ByteBuffer finish() {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed netlink attribute nest");
        }
        pad();
        buf.putInt(0, buf.position());
        return buf.duplicate().order(ByteOrder.nativeOrder()).flip();
    }
}
