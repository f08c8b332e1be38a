package org.vnetd.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** The framing (4-byte length + JSON) and the JSON-RPC of the one client, against a scripted peer. */
@Timeout(30)
class RpcClientTest {
    @TempDir
    Path dir;

    /** A peer that reads one request, then writes {@code frames} and closes; returns the request it read. */
    private Future<byte[]> peer(ServerSocketChannel server, ExecutorService pool, String... frames) {
        return pool.submit(() -> {
            try (SocketChannel ch = server.accept()) {
                ByteBuffer len = ByteBuffer.allocate(4);
                while (len.hasRemaining()) {
                    ch.read(len);
                }
                ByteBuffer request = ByteBuffer.allocate(len.flip().getInt());
                while (request.hasRemaining()) {
                    ch.read(request);
                }
                for (String f : frames) {
                    byte[] b = f.getBytes(StandardCharsets.UTF_8);
                    ch.write(ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip());
                }
                return request.array();
            }
        });
    }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        return server;
    }

    @Test
    void aCallSkipsOtherRepliesQueuesNotificationsAndMapsErrors() throws Exception {
        try (ServerSocketChannel server = listen(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> request = peer(server, pool,
                    "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"network\":\"n\"}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":10,\"message\":\"Network not found\",\"data\":{\"name\":\"NO_SUCH_NETWORK\"}}}");
            try (RpcClient c = RpcClient.connect(dir.resolve("s.sock"))) {
                VnetException e = assertThrows(VnetException.class, () -> c.call("network.lookup", Map.of("network", "n")));
                assertEquals(ErrorCode.NO_SUCH_NETWORK, e.code());
                assertEquals("Network not found", e.getMessage());
                assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"network.lookup\",\"params\":{\"network\":\"n\"}}",
                        new String(request.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                Map<String, Object> n = c.nextNotification(Duration.ofSeconds(5)).orElseThrow();
                assertEquals("event", n.get("method"));
            }
        }
    }

    @Test
    void framesGoBothWaysWholeAndTheEndIsAnEof() throws Exception {
        try (ServerSocketChannel server = listen(); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> request = peer(server, pool, "{\"a\":1}");
            try (RpcClient c = RpcClient.connect(dir.resolve("s.sock"))) {
                c.send("{\"b\":2}".getBytes(StandardCharsets.UTF_8));
                assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), c.receive());
                assertArrayEquals("{\"b\":2}".getBytes(StandardCharsets.UTF_8), request.get(10, TimeUnit.SECONDS));
                assertThrows(EOFException.class, c::receive);
            }
        }
    }

    @Test
    void aMissingSocketIsNamedWithTheSystemsReason() {
        DaemonUnreachableException e = assertThrows(DaemonUnreachableException.class,
                () -> RpcClient.connect(dir.resolve("none.sock")));
        assertTrue(e.getMessage().endsWith("none.sock': No such file or directory"), e.getMessage());
    }
}
