package org.vnetd.daemon.ovsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;

/** OVSDB's messages as bytes and back: one JSON object per message (netty's JsonObjectDecoder splits the stream first). */
final class OvsdbCodec {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OvsdbCodec() {
    }

    static ByteBuf encode(ByteBufAllocator alloc, JsonNode message) {
        ByteBuf buf = alloc.buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            MAPPER.writeValue((java.io.OutputStream) out, message);
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }

    /** One object's bytes to a jackson tree. */
    static final class Decoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            try (ByteBufInputStream in = new ByteBufInputStream(frame)) {
                out.add(MAPPER.readTree((java.io.InputStream) in));
            } catch (IOException e) {
                throw new CorruptedFrameException("not JSON from OVSDB: " + e.getMessage(), e);
            }
        }
    }
}
