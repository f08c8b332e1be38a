package org.vnetd.daemon.libvirt.wire;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

/** A frame (length word already stripped) to a {@link LibvirtMessage}; a frame too short for a header fails the connection. */
@Sharable
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final MessageDecoder INSTANCE = new MessageDecoder();

    private MessageDecoder() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(MessageCodec.decode(frame));
    }
}
