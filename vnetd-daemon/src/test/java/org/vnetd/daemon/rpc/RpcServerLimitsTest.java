package org.vnetd.daemon.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.rpc.limit.ListenerGuard;
import org.vnetd.daemon.rpc.limit.ListenerLimits;
import org.vnetd.testing.Await;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The sockets' limits over real Unix sockets: what a client is told when it hits one, and what is spared. */
@Timeout(60)
class RpcServerLimitsTest {
    @TempDir
    Path dir;
    private final EventHub events = new EventHub();
    private RpcServer server;

    private void start(ListenerLimits readOnly) {
        server = RpcServer.start(dir, TestMethods.answering(call -> Map.of("version", "0.1.0")), events,
                ListenerLimits.readWriteSocket(RpcCodec.MAX_FRAME), readOnly);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ListenerGuard readOnlyGuard() {
        return server.guards().get(1);
    }

    private RpcClient rw() throws IOException {
        return RpcClient.connect(dir.resolve(RpcServer.SOCKET));
    }

    private RpcClient ro() throws IOException {
        return RpcClient.connect(dir.resolve(RpcServer.READ_ONLY_SOCKET));
    }

    /** The error frame a closed connection got, then the close (a reset when the daemon left bytes unread). */
    private static String refusal(RpcClient c) throws IOException {
        ObjectNode e = RpcCodec.decodeTree(c.receive());
        assertEquals(ErrorCode.RPC_PROTOCOL.number(), e.get("error").get("code").asInt(), e.toString());
        assertThrows(IOException.class, c::receive);
        return e.get("error").get("message").asText();
    }

    private static byte[] paddedVersionRequest(int bytes) {
        String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.version\",\"params\":{\"pad\":\"";
        return (head + "x".repeat(bytes - head.length() - 3) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readOnlyRequestsAreSmallReadWriteOnesMayCarryNetworkXml() throws IOException {
        start(ListenerLimits.readOnlySocket());
        byte[] big = paddedVersionRequest(200 * 1024);
        try (RpcClient c = rw()) {
            c.send(big);
            assertTrue(RpcCodec.decodeTree(c.receive()).has("result"));
        }
        try (RpcClient c = ro()) {
            c.send(big);
            assertEquals("frame too large: the limit is 4096 bytes", refusal(c));
        }
        try (RpcClient c = ro()) {
            c.send(paddedVersionRequest(4 * 1024));
            assertTrue(RpcCodec.decodeTree(c.receive()).has("result"), "a frame within the limit is served");
        }
    }

    @Test
    void readOnlyParamsAreAFewValues() throws IOException {
        start(ListenerLimits.readOnlySocket());
        Map<String, Object> many = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("k" + i, i);
        }
        try (RpcClient c = ro()) {
            ObjectNode e = c.call(Methods.DAEMON_VERSION, many).withObject("error");
            assertEquals(-32602, e.get("code").asInt());
            assertEquals("Invalid params: a request on the read-only socket has at most 64 values in its params",
                    e.get("message").asText());
            assertTrue(c.call(Methods.NETWORK_LOOKUP, Map.of("network", "default")).has("result"), "the connection stays usable");
        }
        try (RpcClient c = rw()) {
            assertTrue(c.call(Methods.DAEMON_VERSION, many).has("result"), "the read-write socket takes any params");
        }
        var tree = RpcCodec.MAPPER.valueToTree(Map.of("a", java.util.List.of(1, 2, 3), "b", Map.of("c", "d")));
        assertTrue(RpcConnectionHandler.exceeds(tree, 6), "7 values: the object, a, its 3 items, b, c");
        assertTrue(!RpcConnectionHandler.exceeds(tree, 7));
    }

    @Test
    void aConnectionOverTheCapIsToldWhyAndASlotComesBackOnClose() throws Exception {
        start(new ListenerLimits(2, 2, 4 * 1024, 1024 * 1024, 2, 1024 * 1024, Duration.ofSeconds(10), Duration.ofMinutes(5)));
        try (RpcClient a = ro(); RpcClient b = ro(); RpcClient c = ro()) {
            assertTrue(a.call(Methods.DAEMON_VERSION, null).has("result"));
            assertTrue(b.call(Methods.DAEMON_VERSION, null).has("result"));
            assertEquals("too many connections: this socket serves at most 2 at once", refusal(c));
            try (RpcClient w = rw()) {
                assertTrue(w.call(Methods.DAEMON_VERSION, null).has("result"), "the read-write socket has its own caps");
            }
            a.close();
            Await.until(Duration.ofSeconds(10), "a slot freed by the close", () -> {
                try (RpcClient d = ro()) {
                    return d.call(Methods.DAEMON_VERSION, null).has("result");
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void aDrippingClientIsCutAndOthersAreServedMeanwhile() throws IOException {
        start(ListenerLimits.readOnlySocket().withFrameTimeout(Duration.ofSeconds(1)));
        try (RpcClient drip = ro(); RpcClient other = ro()) {
            drip.channel().write(ByteBuffer.allocate(5).putInt(100).put((byte) '{').flip());
            assertTrue(other.call(Methods.DAEMON_VERSION, null).has("result"));
            Await.until(Duration.ofSeconds(5), "the incomplete frame held", () -> readOnlyGuard().bufferedBytes() > 0);
            assertEquals("a request must arrive within 1 s of its first byte", refusal(drip));
            assertEquals(0, readOnlyGuard().bufferedBytes(), "its buffer is given back");
            assertTrue(other.call(Methods.DAEMON_VERSION, null).has("result"));
        }
        Await.until(Duration.ofSeconds(5), "both connections forgotten", () -> readOnlyGuard().openConnections() == 0);
    }

    @Test
    void anIdleConnectionIsClosedButAnEventSubscriberIsNot() throws IOException {
        start(ListenerLimits.readOnlySocket().withIdleTimeout(Duration.ofSeconds(1)));
        try (RpcClient subscriber = ro(); RpcClient idle = ro()) {
            assertTrue(subscriber.call(Methods.EVENTS_SUBSCRIBE, Map.of()).has("result"));
            assertTrue(idle.call(Methods.DAEMON_VERSION, null).has("result"));
            assertEquals("closing a connection idle for 1 s", refusal(idle));
            // the subscriber has been idle as long: it still gets its events
            events.accept(new NetworkEvent("n1", "u1", NetworkEvent.LIFECYCLE, NetworkEvent.STARTED, 1));
            ObjectNode n = RpcCodec.decodeTree(subscriber.receive());
            assertEquals("n1", n.get("params").get("network").asText());
        }
    }
}
