package org.vnetd.daemon.libvirt.wire;

import java.util.function.Consumer;

import org.vnetd.daemon.libvirt.xdr.XdrException;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * libvirt's framing: a 4-byte big-endian length that counts itself, the header, the payload. Bytes to
 * {@link LibvirtMessage} and back, nothing else.
 */
public final class MessageCodec {
    /** VIR_NET_MESSAGE_MAX: the largest message after the length word. */
    public static final int MAX_MESSAGE = 33_554_432;
    /** VIR_NET_MESSAGE_LEN_MAX. */
    public static final int LENGTH_WORD = 4;

    private MessageCodec() {
    }

    /** The header and payload of one frame whose length word was already taken off (the listener's frame decoder does it). */
    public static LibvirtMessage decode(ByteBuf frame) {
        if (frame.readableBytes() < MessageHeader.SIZE) {
            throw new XdrException("message of " + frame.readableBytes() + " bytes is shorter than its "
                    + MessageHeader.SIZE + "-byte header");
        }
        MessageHeader h = new MessageHeader(frame.readInt(), frame.readInt(), frame.readInt(), frame.readInt(),
                frame.readInt(), frame.readInt());
        return new LibvirtMessage(h, ByteBufUtil.getBytes(frame));
    }

    /**
     * Encodes a whole frame. A payload that does not fit libvirt's maximum is refused here, before
     * anything is written to the connection.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, MessageHeader h, Consumer<XdrWriter> payload) {
        ByteBuf out = alloc.buffer();
        try {
            out.writeInt(0);
            out.writeInt(h.program()).writeInt(h.version()).writeInt(h.procedure()).writeInt(h.type())
                    .writeInt(h.serial()).writeInt(h.status());
            payload.accept(new XdrWriter(out));
            int length = out.readableBytes();
            if (length - LENGTH_WORD > MAX_MESSAGE) {
                throw new XdrException("reply of " + length + " bytes exceeds libvirt's message limit of " + MAX_MESSAGE);
            }
            out.setInt(0, length);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
