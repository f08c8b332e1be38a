package org.vnetd.daemon.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.testing.Await;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The RPC transport against a dispatcher that answers from a table, over real Unix sockets. */
@Timeout(60)
class RpcServerTest {
    @TempDir
    Path dir;
    private final EventHub events = new EventHub();
    private final CountDownLatch slowGate = new CountDownLatch(1);
    private RpcServer server;

    @BeforeEach
    void start() {
        server = RpcServer.start(dir, TestMethods.answering(call -> switch (call.method()) {
            case Methods.DAEMON_VERSION -> Map.of("version", "0.1.0");
            case Methods.NETWORK_START -> {
                if (((Request.NetworkStart) call.request()).network().equals("slow")) {
                    slowGate.await(30, TimeUnit.SECONDS);
                }
                yield null;
            }
            case Methods.NETWORK_LOOKUP -> throw new VnetException(ErrorCode.NO_SUCH_NETWORK,
                    "Network not found: no network with matching name '" + ((Request.NetworkLookup) call.request()).network() + "'");
            default -> throw new IllegalStateException("boom");
        }), events);
    }

    @AfterEach
    void stop() {
        slowGate.countDown();
        server.close();
    }

    private RpcClient rw() throws IOException {
        return RpcClient.connect(dir.resolve(RpcServer.SOCKET));
    }

    private RpcClient ro() throws IOException {
        return RpcClient.connect(dir.resolve(RpcServer.READ_ONLY_SOCKET));
    }

    private static ObjectNode raw(RpcClient c, String json) throws IOException {
        c.send(json.getBytes(StandardCharsets.UTF_8));
        return RpcCodec.decodeTree(c.receive());
    }

    @Test
    void socketsHaveTheirModes() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RpcServer.SOCKET))));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(RpcServer.READ_ONLY_SOCKET))));
    }

    @Test
    void answersAndErrors() throws IOException {
        try (RpcClient c = rw()) {
            assertEquals("0.1.0", c.call(Methods.DAEMON_VERSION, null).get("result").get("version").asText());
            ObjectNode e = c.call(Methods.NETWORK_LOOKUP, Map.of("network", "x")).withObject("error");
            assertEquals(10, e.get("code").asInt());
            assertEquals("Network not found: no network with matching name 'x'", e.get("message").asText());
            assertEquals(-32602, c.call(Methods.NETWORK_LOOKUP, Map.of()).get("error").get("code").asInt());
            assertEquals(1, c.call(Methods.NETWORK_LIST, null).get("error").get("code").asInt());
        }
    }

    @Test
    void malformedInputGetsAnErrorAndTheConnectionStaysUsable() throws IOException {
        try (RpcClient c = rw()) {
            assertEquals(-32700, raw(c, "{\"jsonrpc\":").get("error").get("code").asInt());
            assertEquals(-32700, raw(c, "\u0000\u0001garbage").get("error").get("code").asInt());
            assertEquals(-32600, raw(c, "42").get("error").get("code").asInt());
            ObjectNode unknown = raw(c, "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"network.frobnicate\"}");
            assertEquals(-32601, unknown.get("error").get("code").asInt());
            assertEquals("a", unknown.get("id").asText());
            assertEquals("0.1.0", c.call(Methods.DAEMON_VERSION, null).get("result").get("version").asText());
        }
    }

    @Test
    void readOnlySocketRefusesChanges() throws IOException {
        try (RpcClient c = ro()) {
            ObjectNode e = c.call(Methods.NETWORK_START, Map.of("network", "default")).withObject("error");
            assertEquals(ErrorCode.PERMISSION_DENIED.number(), e.get("code").asInt());
            assertTrue(c.call(Methods.DAEMON_VERSION, null).has("result"));
        }
    }

    @Test
    void oversizedFrameClosesTheConnectionWithAnError() throws IOException {
        try (RpcClient c = rw()) {
            ByteBuffer header = ByteBuffer.allocate(4).putInt(RpcCodec.MAX_FRAME + 1).flip();
            c.channel().write(header);
            ObjectNode e = RpcCodec.decodeTree(c.receive());
            assertEquals(ErrorCode.RPC_PROTOCOL.number(), e.get("error").get("code").asInt());
            assertThrows(EOFException.class, c::receive);
        }
        try (RpcClient c = rw()) {
            assertTrue(c.call(Methods.DAEMON_VERSION, null).has("result"), "the daemon still serves others");
        }
    }

    @Test
    void aSlowMethodAndASilentClientBlockNobody() throws Exception {
        try (RpcClient slow = rw(); RpcClient silent = rw(); RpcClient other = rw()) {
            slow.send(RpcCodec.encode(org.vnetd.core.rpc.RpcRequest.of(1, Methods.NETWORK_START, Map.of("network", "slow"))));
            // a client that floods requests and never reads its replies
            byte[] req = RpcCodec.encode(org.vnetd.core.rpc.RpcRequest.of(1, Methods.DAEMON_VERSION, null));
            silent.channel().configureBlocking(false);
            ByteBuffer frame = ByteBuffer.allocate(4 + req.length).putInt(req.length).put(req);
            for (int i = 0; i < 20000; i++) {
                frame.flip();
                if (silent.channel().write(frame) == 0) {
                    break;
                }
            }
            long t0 = System.nanoTime();
            assertTrue(other.call(Methods.DAEMON_VERSION, null).has("result"));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            slowGate.countDown();
            assertTrue(RpcCodec.decodeTree(slow.receive()).has("result"));
        }
    }

    @Test
    void thousandConcurrentClientsOpenAndClose() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                final int n = i;
                results.add(pool.submit(() -> {
                    try (RpcClient c = n % 2 == 0 ? rw() : ro()) {
                        if (n % 3 == 0) {
                            return true; // open and close without a word
                        }
                        return c.call(Methods.DAEMON_VERSION, null).has("result");
                    }
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        try (RpcClient c = rw()) {
            assertTrue(c.call(Methods.DAEMON_VERSION, null).has("result"));
        }
    }

    @Test
    void subscribersReceiveMatchingEvents() throws Exception {
        try (RpcClient c = ro()) {
            assertTrue(c.call(Methods.EVENTS_SUBSCRIBE, Map.of("network", "n1")).has("result"));
            assertEquals(1, events.subscriberCount(), "the reply is the subscribed signal: registered before it is sent");
            events.accept(new NetworkEvent("n2", "u2", NetworkEvent.LIFECYCLE, NetworkEvent.STARTED, 1));
            events.accept(new NetworkEvent("n1", "u1", NetworkEvent.LIFECYCLE, NetworkEvent.STARTED, 2));
            ObjectNode n = RpcCodec.decodeTree(c.receive());
            assertEquals("event", n.get("method").asText());
            assertEquals("n1", n.get("params").get("network").asText());
            assertEquals("Started", n.get("params").get("detail").asText());
        }
        Await.until(Duration.ofSeconds(5), "a closed connection's subscription is dropped", () -> events.subscriberCount() == 0);
    }
}
