package org.vnetd.daemon.ovsdb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Sorts what the server sends: replies go to the client's waiting calls by id, {@code update}
 * notifications to its monitors, and the server's {@code echo} (its inactivity probe) is answered
 * with the same params, or the server drops the connection.
 */
final class OvsdbHandler extends SimpleChannelInboundHandler<JsonNode> {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbHandler.class);

    private final OvsdbClient client;

    OvsdbHandler(OvsdbClient client) {
        this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, JsonNode message) {
        JsonNode method = message.get("method");
        JsonNode id = message.path("id");
        if (method == null) {
            if (id.canConvertToLong()) {
                client.onReply(id.asLong(), message.get("result"), message.get("error"));
            }
            return;
        }
        switch (method.asText()) {
            case "echo" -> {
                ObjectNode reply = JsonNodeFactory.instance.objectNode();
                reply.set("id", id);
                reply.set("result", message.path("params"));
                reply.set("error", NullNode.getInstance());
                ctx.writeAndFlush(OvsdbCodec.encode(ctx.alloc(), reply));
                client.onEcho();
            }
            case "update" -> {
                JsonNode params = message.path("params");
                client.onUpdate(params.path(0), params.path(1));
            }
            default -> {
                if (!id.isMissingNode() && !id.isNull()) {
                    ObjectNode reply = JsonNodeFactory.instance.objectNode();
                    reply.set("id", id);
                    reply.set("result", NullNode.getInstance());
                    reply.put("error", "unknown method");
                    ctx.writeAndFlush(OvsdbCodec.encode(ctx.alloc(), reply));
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a corrupt stream cannot be resynchronised: close, and the client connects again
        LOG.warn("OVSDB connection to {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
