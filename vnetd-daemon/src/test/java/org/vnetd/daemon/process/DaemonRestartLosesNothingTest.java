package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpMessage;
import org.vnetd.core.dhcp.DhcpMessageType;
import org.vnetd.core.dhcp.DhcpOptionCode;
import org.vnetd.core.dhcp.DhcpOptions;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.rpc.Methods;
import org.vnetd.daemon.activation.SocketNames;
import org.vnetd.daemon.libvirt.LibvirtServer;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;
import org.vnetd.testing.systemd.ServiceManager;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * Issue 20's "restarts lose nothing", with {@link ServiceManager} playing systemd (socket units for the
 * four RPC sockets, the notify socket, the file-descriptor store): a guest renews its DHCP lease and
 * resolves its name every 50 ms, and the host resolves it through the loopback pair, while the daemon is
 * restarted 10 times. Every request is answered, the late ones from the socket's queue by the next
 * daemon, and an RPC call made while no daemon runs is answered by the next one.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonRestartLosesNothingTest {
    private static final InetAddress SERVER = ip("192.168.122.1");
    private static final Inet4Address GUEST = (Inet4Address) ip("192.168.122.50");
    private static final Duration PERIOD = Duration.ofMillis(50);
    private static final int RESTARTS = 10;

    @Test
    void tenRestartsLoseNoDhcpDnsOrRpcRequest() throws Exception {
        NetnsSupport.require("nft");
        Path dir = Files.createTempDirectory("vnetd-restart");
        try (TestNetns host = TestNetns.create("rst"); TestNetns guest = TestNetns.create("rstg");
                VnetdProcess vnetd = new VnetdProcess(host, dir.resolve("vnetd"), "DEBUG");
                ServiceManager systemd = new ServiceManager(Files.createDirectories(dir.resolve("systemd")), 1024)) {
            Path rpc = vnetd.runDir().resolve(RpcServer.SOCKET);
            Path libvirt = vnetd.runDir().resolve("libvirt");
            systemd.listen(SocketNames.RPC, rpc, "rw-------")
                    .listen(SocketNames.RPC_READ_ONLY, vnetd.runDir().resolve(RpcServer.READ_ONLY_SOCKET), "rw-rw-rw-")
                    .listen(SocketNames.LIBVIRT, libvirt.resolve(LibvirtServer.SOCKET), "rw-------")
                    .listen(SocketNames.LIBVIRT_READ_ONLY, libvirt.resolve(LibvirtServer.READ_ONLY_SOCKET), "rw-rw-rw-");
            Map<String, String> env = new HashMap<>();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
            systemd.start(vnetd.command(), env);
            systemd.awaitReady(VnetdProcess.READY_TIMEOUT);

            // the guest, with the address it renews, behind the default network's bridge
            host.execOk("ip", "link", "add", "vg1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg1", "master", "virbr0", "up");
            guest.execOk("ip", "link", "set", "eth0", "up");
            guest.execOk("ip", "addr", "add", GUEST.getHostAddress() + "/24", "dev", "eth0");
            MacAddress mac = MacAddress.parse(guest.execOk("cat", "/sys/class/net/eth0/address").trim());
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), "vg1 forwarding on virbr0",
                    () -> host.execOk("bridge", "link", "show", "dev", "vg1").contains("state forwarding"));

            List<RequestStream> streams = new ArrayList<>();
            EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            try (NetnsExecutor inGuest = NetnsExecutor.enter(guest); NetnsExecutor inHost = NetnsExecutor.enter(host)) {
                RequestStream renewals = new RequestStream("DHCP renewals (guest)", inGuest, loops, new InetSocketAddress(GUEST, 68),
                        new InetSocketAddress(SERVER, 67), xid -> renewal(xid, mac), DaemonRestartLosesNothingTest::ackXid);
                streams.add(renewals);
                // the first ACK binds the lease with the guest's name; then the name resolves
                renewals.start(PERIOD);
                awaitOrShow(systemd, "a first DHCP ACK", () -> renewals.answeredCount() > 0);
                streams.add(new RequestStream("DNS guest1 (guest, bridge sockets)", inGuest, loops, new InetSocketAddress(GUEST, 0),
                        new InetSocketAddress(SERVER, 53), DaemonRestartLosesNothingTest::query, DaemonRestartLosesNothingTest::answerId)
                        .start(PERIOD));
                streams.add(new RequestStream("DNS guest1 (host, lo sockets)", inHost, loops, new InetSocketAddress(0),
                        new InetSocketAddress(SERVER, 53), DaemonRestartLosesNothingTest::query, DaemonRestartLosesNothingTest::answerId)
                        .start(PERIOD));
                awaitOrShow(systemd, "DNS answers before the restarts", () -> streams.stream().allMatch(s -> s.answeredCount() >= 5));
                List<String> stored = systemd.stored();
                for (String name : List.of(SocketNames.dhcp("virbr0"), SocketNames.dns(false, "virbr0", SERVER, 53),
                        SocketNames.dns(true, "virbr0", SERVER, 53), SocketNames.dns(false, "lo", SERVER, 53),
                        SocketNames.dns(true, "lo", SERVER, 53))) {
                    assertTrue(stored.contains(name), name + " is in the store: " + stored);
                }

                long t0 = System.nanoTime();
                StringBuilder restarts = new StringBuilder();
                for (int i = 1; i <= RESTARTS; i++) {
                    long stopping = System.nanoTime();
                    systemd.stopMain(Duration.ofSeconds(60));
                    long stopped = System.nanoTime();
                    // no daemon runs now: the connection waits in the socket unit's backlog, the request in it
                    RpcClient client = RpcClient.connect(rpc);
                    CompletableFuture<ObjectNode> call = CompletableFuture.supplyAsync(() -> {
                        try (client) {
                            return client.call(Methods.NETWORK_LIST, Map.of());
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    systemd.startAgain();
                    systemd.awaitReady(VnetdProcess.READY_TIMEOUT);
                    restarts.append(String.format("restart %d: SIGTERM at %.1f s, exited %.1f s later, READY=1 %.1f s after the new start%n", i,
                            (stopping - t0) / 1e9, (stopped - stopping) / 1e9, (System.nanoTime() - stopped) / 1e9));
                    ObjectNode reply = call.get(60, TimeUnit.SECONDS);
                    assertTrue(reply.has("result") && reply.get("result").toString().contains("virbr0"),
                            "restart " + i + ": the call made while no daemon ran is answered: " + reply);
                }
                for (RequestStream s : streams) {
                    s.finish(Duration.ofSeconds(30));
                }
                StringBuilder report = new StringBuilder(restarts);
                streams.forEach(s -> report.append(s.summary(t0)).append('\n'));
                System.out.println("DaemonRestartLosesNothingTest, " + RESTARTS + " restarts:\n" + report);
                // each socket was stored once, by the first daemon: every later one served the socket it was passed
                for (String name : List.of(SocketNames.dhcp("virbr0"), SocketNames.dns(false, "virbr0", SERVER, 53),
                        SocketNames.dns(false, "lo", SERVER, 53))) {
                    assertEquals(1, systemd.events().stream().filter(("store: kept " + name)::equals).count(),
                            name + " stored once:\n" + String.join("\n", systemd.events()));
                }
                for (RequestStream s : streams) {
                    assertEquals(List.of(), s.unanswered(), report + "\n" + String.join("\n", systemd.events()));
                    assertTrue(s.answeredCount() > RESTARTS * 10, report.toString());
                }
            } finally {
                for (RequestStream s : streams) {
                    s.close();
                }
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        } finally {
            // VNETD_KEEP_RESTART_LOGS=DIR keeps the daemons' logs and the notify socket (one log per start) for a look afterwards
            if (System.getenv("VNETD_KEEP_RESTART_LOGS") != null) {
                new ProcessBuilder("cp", "-r", dir.resolve("systemd").toString(), System.getenv("VNETD_KEEP_RESTART_LOGS")).start().waitFor();
            }
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void awaitOrShow(ServiceManager systemd, String what, Await.Condition condition) {
        try {
            Await.until(Duration.ofSeconds(30), what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the daemon's log:\n" + systemd.readLog(), e);
        }
    }

    /** A DHCPREQUEST in RENEWING state (RFC 2131 §4.3.2: ciaddr set, no server id, unicast to the server). */
    private static ByteBuffer renewal(int xid, MacAddress mac) {
        DhcpOptions o = DhcpOptions.builder()
                .putByte(DhcpOptionCode.MESSAGE_TYPE, DhcpMessageType.REQUEST.code())
                .putString(DhcpOptionCode.HOST_NAME, "guest1")
                .build();
        DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, 1, 6, 0, xid, 0, 0, GUEST, DhcpMessage.ZERO, DhcpMessage.ZERO,
                DhcpMessage.ZERO, mac.octets(), null, null, o);
        return ByteBuffer.wrap(DhcpCodec.encode(m));
    }

    /** The xid of a DHCPACK for the guest's address; -1 for anything else (a NAK is not what a renewing guest needs). */
    private static int ackXid(ByteBuffer b) {
        // BOOTREPLY: op 2, xid at 4, yiaddr at 16, options after the magic cookie at 236
        if (b.remaining() < 244 || b.get(0) != 2 || b.getInt(16) != java.nio.ByteBuffer.wrap(GUEST.getAddress()).getInt()) {
            return -1;
        }
        for (int at = 240; at + 1 < b.limit();) {
            int code = b.get(at) & 0xff;
            if (code == 0) {
                at++;
                continue;
            }
            if (code == 255) {
                break;
            }
            int len = b.get(at + 1) & 0xff;
            if (code == DhcpOptionCode.MESSAGE_TYPE && len == 1) {
                return b.get(at + 2) == DhcpMessageType.ACK.code() ? b.getInt(4) : -1;
            }
            at += 2 + len;
        }
        return -1;
    }

    /** "guest1 IN A", recursion desired, with {@code id} (16 bits). */
    private static ByteBuffer query(int id) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        byte[] label = "guest1".getBytes(StandardCharsets.US_ASCII);
        b.put((byte) label.length).put(label).put((byte) 0).putShort((short) 1).putShort((short) 1);
        return b.flip();
    }

    /** The id of a response that answers with an address (NOERROR, one answer at least); -1 otherwise. */
    private static int answerId(ByteBuffer b) {
        if (b.remaining() < 12) {
            return -1;
        }
        int id = b.getShort(0) & 0xffff;
        int flags = b.getShort(2) & 0xffff;
        int answers = b.getShort(6) & 0xffff;
        boolean response = (flags & 0x8000) != 0;
        return response && (flags & 0xf) == 0 && answers > 0 ? id : -1;
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
