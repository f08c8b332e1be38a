package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vnetd.core.dns.DnsQuery;
import org.vnetd.core.dns.DnsQuestion;
import org.vnetd.core.dns.DnsWire;
import org.vnetd.core.dns.RecordType;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * RFC 5452 at the upstream client: a fake upstream server on the loopback of a namespace of its own
 * sees each query come from a fresh port with a fresh id, and answers it the way an off-path attacker
 * would try first (from the wrong port, with the wrong id, for another question) before the real
 * answer: only the real one is taken.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamClientNetnsTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5300);
    private static final InetSocketAddress SPOOFER = new InetSocketAddress("127.0.0.1", 5301);

    private TestNetns ns;
    private NetnsExecutor inNs;
    private EventLoopGroup group;
    private DatagramChannel server;
    private DatagramChannel spoofer;
    private UpstreamClient client;

    @BeforeAll
    void setUp() {
        NetnsSupport.require("ss");
        ns = TestNetns.create("dnsupc");
        inNs = NetnsExecutor.enter(ns);
        group = inNs.call(() -> {
            EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            g.submit(() -> { }).sync();
            return g;
        });
        server = inNs.call(() -> bound(SERVER));
        spoofer = inNs.call(() -> bound(SPOOFER));
        client = new UpstreamClient(group, Duration.ofMillis(700), Duration.ofMillis(1500));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (DatagramChannel c : new DatagramChannel[] {server, spoofer}) {
            if (c != null) {
                c.close();
            }
        }
        if (inNs != null) {
            inNs.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void everyQueryHasAFreshPortAndId() throws Exception {
        int n = 24;
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            answers.add(ask("q" + i + ".example"));
            Received q = receive(server);
            ports.add(q.from().getPort());
            ids.add(DnsWire.id(q.message()));
            server.send(ByteBuffer.wrap(answer(q.message(), 1)), q.from());
        }
        for (CompletableFuture<byte[]> a : answers) {
            assertTrue(DnsWire.isResponse(a.get(5, TimeUnit.SECONDS)));
        }
        // random 16-bit ids and ports from the kernel's ephemeral range: a repeat among 24 is rare, 5 repeats are not possible
        assertTrue(ports.size() >= n - 4, "source ports of " + n + " queries: " + ports);
        assertTrue(ids.size() >= n - 4, "ids of " + n + " queries: " + ids);
        // each attempt's socket is closed once it is answered (closing is asynchronous: poll, bounded)
        Await.until(Duration.ofSeconds(5), "every answered query's socket closed",
                () -> client.inFlight() == 0 && udpSockets() <= 2);
        assertEquals(0, client.inFlight());
        assertEquals(2, udpSockets(), "only the fake server's two sockets are left:\n" + ns.execOk("ss", "-Hua"));
    }

    @Test
    void spoofedAnswersAreIgnoredAndTheRealOneTaken() throws Exception {
        CompletableFuture<byte[]> result = ask("spoof.example");
        Received q = receive(server);
        byte[] query = q.message();
        // the right id and question, from the wrong port
        spoofer.send(ByteBuffer.wrap(answer(query, 66)), q.from());
        // from the server's port, with the wrong id
        byte[] wrongId = answer(query, 67);
        DnsWire.setId(wrongId, DnsWire.id(query) ^ 0x5a5a);
        server.send(ByteBuffer.wrap(wrongId), q.from());
        // from the server's port with the right id, for another question
        byte[] other = DnsWire.encodeQuery(DnsWire.id(query), DnsQuestion.in("other.example", RecordType.A), true,
                java.util.Optional.empty(), 1232);
        server.send(ByteBuffer.wrap(answer(other, 68)), q.from());
        byte[] real = answer(query, 1);
        server.send(ByteBuffer.wrap(real), q.from());
        assertArrayEquals(real, result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void onlySpoofedAnswersMeanNoAnswer() throws Exception {
        CompletableFuture<byte[]> result = ask("only-spoofed.example");
        Received q = receive(server);
        spoofer.send(ByteBuffer.wrap(answer(q.message(), 66)), q.from());
        byte[] wrongId = answer(q.message(), 67);
        DnsWire.setId(wrongId, DnsWire.id(q.message()) ^ 1);
        server.send(ByteBuffer.wrap(wrongId), q.from());
        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no upstream answered"), e.getCause().toString());
    }

    @Test
    void queriesBeyondTheLimitFailAtOnceUntilSlotsAreFreed() throws Exception {
        UpstreamClient small = new UpstreamClient(group, Duration.ofMillis(400), Duration.ofMillis(400), 2);
        try {
            CompletableFuture<byte[]> first = ask(small, "limit1.example");
            CompletableFuture<byte[]> second = ask(small, "limit2.example");
            receive(server); // both went out; the server keeps silent
            receive(server);
            CompletableFuture<byte[]> third = ask(small, "limit3.example");
            assertTrue(third.isCompletedExceptionally(), "over the limit: failed at once, no socket opened");
            ExecutionException e = assertThrows(ExecutionException.class, third::get);
            assertTrue(e.getCause().getMessage().contains("2 upstream queries already in flight"), e.getCause().getMessage());
            assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
            assertThrows(ExecutionException.class, () -> second.get(5, TimeUnit.SECONDS));
            CompletableFuture<byte[]> later = ask(small, "limit4.example");
            Received q = receive(server);
            server.send(ByteBuffer.wrap(answer(q.message(), 1)), q.from());
            assertTrue(DnsWire.isResponse(later.get(5, TimeUnit.SECONDS)), "the timed-out attempts gave their slots back");
        } finally {
            small.close();
        }
    }

    private CompletableFuture<byte[]> ask(String name) throws Exception {
        return ask(client, name);
    }

    /** Asks from an event loop thread, as the listeners do (the attempt's socket is made there, in the namespace). */
    private CompletableFuture<byte[]> ask(UpstreamClient c, String name) throws Exception {
        DnsQuery q = DnsQuery.udp(4242, DnsQuestion.in(name, RecordType.A));
        return group.submit(() -> c.query(q, List.of(SERVER))).get(5, TimeUnit.SECONDS);
    }

    private long udpSockets() {
        return ns.execOk("ss", "-Hua").lines().filter(l -> !l.isBlank()).count();
    }

    /** {@code query} (without EDNS) turned into an answer with one A record 10.0.0.{@code last}. */
    private static byte[] answer(byte[] query, int last) {
        byte[] rr = {(byte) 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, (byte) last};
        byte[] m = Arrays.copyOf(query, query.length + rr.length);
        System.arraycopy(rr, 0, m, query.length, rr.length);
        m[2] |= (byte) 0x80; // QR
        m[7] = 1; // ANCOUNT
        return m;
    }

    private static DatagramChannel bound(InetSocketAddress a) throws java.io.IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(a);
        return c;
    }

    private record Received(byte[] message, InetSocketAddress from) {
    }

    private static Received receive(DatagramChannel c) throws Exception {
        c.configureBlocking(true);
        c.socket().setSoTimeout(5000);
        byte[] b = new byte[4096];
        java.net.DatagramPacket p = new java.net.DatagramPacket(b, b.length);
        c.socket().receive(p);
        return new Received(Arrays.copyOf(b, p.getLength()), (InetSocketAddress) p.getSocketAddress());
    }
}
