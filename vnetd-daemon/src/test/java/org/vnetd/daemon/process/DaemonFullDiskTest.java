package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.PrivateMounts;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.Udhcpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The real daemon with its state directory (leases) on one small tmpfs and its config and run
 * directories (definitions, status) on another, both in a private mount namespace, filled and freed by
 * the test; started under umask 000. A full disk must never make it lie: a DHCP server that cannot make
 * a lease durable withholds the ACK, lists no such lease and says the network is degraded, then
 * recovers by itself once there is room; a kill -9 and a restart with the disk still full adopt the
 * network with a serving DHCP server; an update that cannot be stored has no effect; files are
 * owner-only whatever the umask.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DaemonFullDiskTest {
    private static final String MAC = "52:54:00:d1:5c:01";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aFullDiskNeverMakesTheDaemonLie() throws Exception {
        NetnsSupport.require("nft", "busybox", "nsenter", "unshare", "dig");
        Path top = Files.createTempDirectory("vnetd-disk");
        try (TestNetns ns = TestNetns.create("disk"); TestNetns guest = TestNetns.create("diskg");
                PrivateMounts mounts = PrivateMounts.create();
                VnetdProcess d = new VnetdProcess(ns, top, "DEBUG", launcher(mounts))) {
            Path state = top.resolve("var");
            Path conf = top.resolve("conf");
            mounts.tmpfs(state, "1m");
            mounts.tmpfs(conf, "1m");
            mounts.bind(conf.resolve("etc"), top.resolve("etc"));
            mounts.bind(conf.resolve("run"), top.resolve("run"));
            Path run = mounts.view(top.resolve("run"));
            Path socket = run.resolve(RpcServer.SOCKET);

            // 1. the lease disk is full from the start: the DHCP server cannot make a lease durable
            mounts.fill(state);
            d.start(() -> DaemonRpc.answers(run));
            assertTrue(lookup(socket).get("active").asBoolean(), d.log());
            plugGuest(ns, guest);
            Udhcpc client = new Udhcpc(new DhcpClientNs(guest, "eth0", MAC), false, "guest1");
            try {
                client.start();
                String why = awaitDegraded(socket, d);
                assertTrue(why.contains("No space left on device"), why);
                assertEquals(0, leases(socket).size(), "a client that was never ACKed holds no lease:\n" + leases(socket));
                assertFalse(client.log().contains("obtained"), client.log());
                // several REQUESTs fail meanwhile; their errors are not one line each
                Await.until(Duration.ofSeconds(30), Duration.ofMillis(200), "6 REQUESTs from udhcpc",
                        () -> count(client.log(), "select for") >= 6);
                int selects = count(client.log(), "select for");
                int withheld = count(d.log(), "ACK(s) withheld");
                assertTrue(withheld >= 1 && withheld <= 3, withheld + " lines for " + selects + " failed REQUESTs:\n" + d.log());
                assertEquals(0, leases(socket).size());
                // nor a DNS name: the name it sent is known only once its lease is durable (asked from a
                // static address the test gives the guest for the question, gone before it is ACKed)
                guest.execOk("ip", "addr", "add", "192.168.122.250/24", "dev", "eth0");
                assertEquals("", dig(guest, "guest1"), "a client that was never ACKed has no DNS name");
                guest.execOk("ip", "addr", "del", "192.168.122.250/24", "dev", "eth0");

                // 2. room again: the server recovers by itself and the client is ACKed; subscribers hear of it
                try (RpcClient sub = RpcClient.connect(run.resolve(RpcServer.READ_ONLY_SOCKET))) {
                    assertTrue(sub.call("events.subscribe", Map.of("network", "default")).has("result"));
                    mounts.free(state);
                    String ip = client.awaitBound(WAIT).address();
                    assertTrue(ip.startsWith("192.168.122."), ip);
                    assertEquals(List.of(MAC), macs(leases(socket)));
                    assertEquals(ip, dig(guest, "guest1"), "once ACKed, its name resolves");
                    assertEquals("Repaired", nextEvent(sub, "service-health").get("detail").asText());
                }
                assertFalse(lookup(socket).has("degraded"), lookup(socket).toString());
            } finally {
                client.close();
            }

            // 3. kill -9 (the lease sits in the log, not compacted), disk full again, restart: adopted, serving
            d.kill9();
            mounts.fill(state);
            d.start(() -> DaemonRpc.answers(run));
            assertTrue(d.log().contains("cannot compact at open"), d.log());
            assertTrue(d.log().contains("adopted running network 'default'"), d.log());
            JsonNode adopted = lookup(socket);
            assertTrue(adopted.get("active").asBoolean() && !adopted.has("degraded"), adopted + "\n" + d.log());
            assertTrue(ns.execOk("ss", "-ulpn").contains("virbr0:67"), ns.execOk("ss", "-ulpn"));
            assertEquals(List.of(MAC), macs(leases(socket)), "the lease came back from the log");
            try (Udhcpc again = new Udhcpc(new DhcpClientNs(guest, "eth0", MAC), false, "guest1")) {
                again.start();
                again.awaitBound(WAIT); // its record fits in the log's preallocated space
            }
            mounts.free(state);

            // 4. the config/run disk full: an update or a metadata change that cannot be stored has no effect
            mounts.fill(conf);
            String host = "<host mac='52:54:00:d1:5c:09' ip='192.168.122.77'/>";
            for (Map<String, Object> where : List.<Map<String, Object>>of(Map.of("live", true), Map.of("config", true))) {
                Map<String, Object> p = new java.util.HashMap<>(Map.of("network", "default", "command", "add-last",
                        "section", "ip-dhcp-host", "xml", host));
                p.putAll(where);
                DaemonRpc.RpcFailure f = DaemonRpc.fail(socket, "network.update", p);
                assertTrue(f.getMessage().contains("cannot write"), f.getMessage());
                Map<String, Object> m = new java.util.HashMap<>(Map.of("network", "default", "type", "description",
                        "value", "left unsaid"));
                m.putAll(where);
                DaemonRpc.fail(socket, "network.setMetadata", m);
            }
            for (boolean inactive : new boolean[] {false, true}) {
                String xml = DaemonRpc.call(socket, "network.getXml", Map.of("network", "default", "inactive", inactive))
                        .get("xml").asText();
                assertFalse(xml.contains("192.168.122.77") || xml.contains("left unsaid"), xml);
            }
            mounts.free(conf);
            DaemonRpc.call(socket, "network.update", Map.of("network", "default", "command", "add-last",
                    "section", "ip-dhcp-host", "xml", host, "live", true));
            assertTrue(DaemonRpc.call(socket, "network.getXml", Map.of("network", "default")).get("xml").asText()
                    .contains("192.168.122.77"));

            // 5. under umask 000, every file is owner-only; directories as each needs
            assertModes(mounts.view(top.resolve("etc/networks")), "rwx------", "rw-------");
            assertModes(mounts.view(top.resolve("run/network")), "rwx------", "rw-------");
            assertModes(mounts.view(state.resolve("dhcp")), "rwx------", "rw-------");
            assertEquals("rwxr-xr-x", mode(run), "the run dir must be reachable for the read-only socket");
            assertEquals("rwxr-xr-x", mode(mounts.view(state)));
        }
    }

    /** nsenter into the private mount namespace, then umask 000 for the daemon. */
    private static List<String> launcher(PrivateMounts mounts) {
        List<String> l = new ArrayList<>(mounts.prefix());
        l.addAll(List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh"));
        return l;
    }

    /** The guest's eth0 on virbr0, forwarding (STP holds a new port a few seconds). */
    private static void plugGuest(TestNetns host, TestNetns guest) throws InterruptedException {
        host.execOk("ip", "link", "add", "vd1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
        host.execOk("ip", "link", "set", "vd1", "master", "virbr0", "up");
        guest.execOk("ip", "link", "set", "eth0", "address", MAC, "up");
        Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), "vd1 forwarding",
                () -> host.execOk("bridge", "link", "show", "dev", "vd1").contains("state forwarding"));
    }

    /** {@code dig +short} from the guest to the network's DNS: the answer's addresses, "" for none. */
    private static String dig(TestNetns guest, String name) throws Exception {
        return guest.execOk("dig", "+short", "+time=3", "+tries=2", "@192.168.122.1", name).trim();
    }

    private static JsonNode lookup(Path socket) throws Exception {
        return DaemonRpc.call(socket, "network.lookup", Map.of("network", "default"));
    }

    private static JsonNode leases(Path socket) throws Exception {
        return DaemonRpc.call(socket, "network.dhcpLeases", Map.of("network", "default"));
    }

    private static List<String> macs(JsonNode leases) {
        List<String> out = new ArrayList<>();
        leases.forEach(l -> out.add(l.get("mac").asText()));
        return out;
    }

    private static String awaitDegraded(Path socket, VnetdProcess d) {
        return Await.value(WAIT, Duration.ofMillis(200), "the network shown degraded", () -> {
            JsonNode n = lookup(socket);
            return n.has("degraded") ? java.util.Optional.of(n.get("degraded").asText()) : java.util.Optional.<String>empty();
        });
    }

    /** The next event of {@code type} on a subscribed connection, waiting at most WAIT. */
    private static JsonNode nextEvent(RpcClient sub, String type) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                Future<ObjectNode> f = reader.submit(() -> RpcCodec.decodeTree(sub.receive()));
                JsonNode params = f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS).get("params");
                if (params != null && type.equals(params.get("event").asText())) {
                    return params;
                }
            }
            throw new AssertionError("no " + type + " event");
        } finally {
            reader.shutdownNow();
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void assertModes(Path dir, String dirMode, String fileMode) throws Exception {
        assertEquals(dirMode, mode(dir), dir.toString());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertFalse(all.isEmpty(), "nothing in " + dir);
            for (Path f : all) {
                assertEquals(fileMode, mode(f), f.toString());
            }
        }
    }
}
