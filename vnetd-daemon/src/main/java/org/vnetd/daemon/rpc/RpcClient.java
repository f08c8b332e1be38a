package org.vnetd.daemon.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.core.rpc.RpcRequest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A small blocking client (JDK Unix sockets, no netty) for {@code vnetd --call}, tests and scripts.
 * Not thread-safe: one caller at a time.
 */
public final class RpcClient implements AutoCloseable {
    private final SocketChannel channel;
    private final AtomicLong ids = new AtomicLong();

    private RpcClient(SocketChannel channel) {
        this.channel = channel;
    }

    public static RpcClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new RpcClient(ch);
    }

    /** Sends one request and returns the reply (result or error) as a JSON tree. Notifications are skipped. */
    public ObjectNode call(String method, Object params) throws IOException {
        long id = ids.incrementAndGet();
        send(RpcCodec.encode(RpcRequest.of(id, method, params)));
        while (true) {
            ObjectNode reply = RpcCodec.decodeTree(receive());
            if (reply.has("id") && reply.get("id").asLong(-1) == id) {
                return reply;
            }
        }
    }

    public void send(byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.putInt(payload.length).put(payload).flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** Reads one frame. */
    public byte[] receive() throws IOException {
        ByteBuffer len = readFully(4);
        int n = len.getInt();
        if (n < 0 || n > RpcCodec.MAX_FRAME) {
            throw new IOException("server sent a frame of " + n + " bytes");
        }
        return readFully(n).array();
    }

    private ByteBuffer readFully(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("the daemon closed the connection");
            }
        }
        return b.flip();
    }

    public SocketChannel channel() {
        return channel;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
