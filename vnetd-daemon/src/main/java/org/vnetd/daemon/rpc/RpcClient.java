package org.vnetd.daemon.rpc;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.vnetd.client.DaemonUnreachableException;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.rpc.RpcRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The RPC's client ({@link org.vnetd.client.RpcClient}, the one vnetctl uses) with replies as jackson trees,
 * for {@code vnetd --call}, tests and scripts: a reply comes back whole, error or result, and is not thrown.
 * Not thread-safe: one caller at a time.
 */
public final class RpcClient implements AutoCloseable {
    private final org.vnetd.client.RpcClient client;
    private long lastId;

    private RpcClient(org.vnetd.client.RpcClient client) {
        this.client = client;
    }

    public static RpcClient connect(Path socket) throws IOException {
        try {
            return new RpcClient(org.vnetd.client.RpcClient.connect(socket));
        } catch (DaemonUnreachableException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Sends one request and returns the reply (result or error) as a JSON tree. Notifications are skipped. */
    public ObjectNode call(String method, Object params) throws IOException {
        long id = ++lastId;
        send(RpcCodec.encode(RpcRequest.of(id, method, params)));
        while (true) {
            ObjectNode reply = RpcCodec.decodeTree(receive());
            if (reply.has("id") && reply.get("id").asLong(-1) == id) {
                return reply;
            }
        }
    }

    public void send(byte[] payload) throws IOException {
        client.send(payload);
    }

    /** Reads one frame. */
    public byte[] receive() throws IOException {
        return client.receive();
    }

    public SocketChannel channel() {
        return client.channel();
    }

    @Override
    public void close() {
        client.close();
    }
}
