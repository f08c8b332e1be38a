package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.daemon.port.PortParams.params;

import java.lang.foreign.Arena;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.sys.Libc;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.unix.FileDescriptor;

/**
 * Networks of the macvtap modes through the real daemon: veth pairs stand in for the host's NICs (their far ends
 * in a namespace of their own, the LAN), vnetd's port.create makes each guest's macvtap on a device of the pool
 * and passes its /dev/tapN descriptor, and the test plays the guests by writing ARP frames into those descriptors
 * and reading what arrives. A macvtap's received frames go to its descriptor, never to an IP stack, so a guest
 * cannot be a namespace with the macvtap in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MacvtapPoolNetnsTest {
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    private TestNetns ns;
    private TestNetns lan;
    private DaemonProcess daemon;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft");
        ns = TestNetns.create("macvtap");
        lan = TestNetns.create("mvlan");
        for (int i = 0; i < 6; i++) {
            ns.veth("vnt-nic" + i, lan, "lan" + i);
        }
        lan.execOk("ip", "address", "add", "10.77.0.1/24", "dev", "lan0");
        lan.execOk("ip", "address", "add", "10.78.0.1/24", "dev", "lan1");
        daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL).start("--no-default-network");
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (lan != null) {
            lan.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private void createNetwork(String name, String mode, String... devs) throws Exception {
        StringBuilder ifs = new StringBuilder();
        for (String d : devs) {
            ifs.append("<interface dev='").append(d).append("'/>");
        }
        daemon.call("network.create", Map.of("xml", "<network><name>" + name + "</name><forward mode='" + mode + "'>" + ifs
                + "</forward></network>"));
    }

    private JsonNode port(String network, String mac, boolean passFd) throws Exception {
        return daemon.call("port.create", params("network", network, "mac", mac, "passFd", passFd));
    }

    private String plug(JsonNode port) throws Exception {
        String xml = daemon.call("port.getXml", params("uuid", port.get("uuid").asText())).get("xml").asText();
        return xml.lines().filter(l -> l.contains("<plug")).findFirst().orElseThrow().strip();
    }

    private FileDescriptor take(FdClient fds, JsonNode port) throws Exception {
        FileDescriptor fd = fds.take(port.get("fdToken").asText(), 1).get(0);
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int flags = Libc.fcntl(st, fd.intValue(), F_GETFL, 0);
            assertTrue(flags >= 0 && Libc.fcntl(st, fd.intValue(), F_SETFL, flags | O_NONBLOCK) == 0, "non-blocking for the test's reads");
        }
        return fd;
    }

    @Test
    void bridgeModeGuestsReachEachOtherAndTheLan() throws Exception {
        createNetwork("mvbridge", "bridge", "vnt-nic0");
        MacAddress a = MacAddress.parse("52:54:00:77:00:0a");
        MacAddress b = MacAddress.parse("52:54:00:77:00:0b");
        JsonNode pa = port("mvbridge", a.toString(), true);
        JsonNode pb = port("mvbridge", b.toString(), true);
        assertEquals("<plug type='direct' dev='vnt-nic0' mode='bridge'/>", plug(pa));
        String details = ns.execOk("ip", "-d", "link", "show", "dev", pa.get("tap").asText());
        assertTrue(details.contains("@vnt-nic0") && details.contains("macvtap mode bridge") && details.contains(a.toString()), details);
        String live = daemon.call("network.getXml", params("network", "mvbridge")).get("xml").asText();
        assertTrue(live.contains("connections='2'") && live.contains("<interface dev='vnt-nic0' connections='2'/>"), live);
        try (FdClient fds = new FdClient(daemon.socket())) {
            FileDescriptor fa = take(fds, pa);
            FileDescriptor fb = take(fds, pb);
            try {
                ByteBuffer reply = exchange(fa, arpRequest(a, ip("10.77.0.10"), ip("10.77.0.1")), f -> isArp(f, 2, ip("10.77.0.1")));
                assertNotNull(reply, "the LAN at the host interface's far end answers guest A");
                assertNotNull(exchange(fa, fb, arpRequest(a, ip("10.77.0.10"), ip("10.77.0.11")), f -> isArp(f, 1, ip("10.77.0.10"))),
                        "guest B receives guest A's broadcast");
                assertNotNull(exchange(fb, fa, arpReply(b, ip("10.77.0.11"), a, ip("10.77.0.10")), f -> isArp(f, 2, ip("10.77.0.11"))),
                        "guest A receives guest B's unicast reply");
            } finally {
                fa.close();
                fb.close();
            }
        }
        for (JsonNode p : List.of(pa, pb)) {
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
        Await.until(Duration.ofSeconds(20), "port.delete removes the macvtaps",
                () -> ns.execOk("ip", "-o", "link", "show", "type", "macvtap").isBlank());
        daemon.call("network.destroy", params("network", "mvbridge"));
    }

    @Test
    void privateModeIsolatesGuestsFromEachOtherButNotFromTheLan() throws Exception {
        createNetwork("mvprivate", "private", "vnt-nic1");
        MacAddress a = MacAddress.parse("52:54:00:78:00:0a");
        MacAddress b = MacAddress.parse("52:54:00:78:00:0b");
        JsonNode pa = port("mvprivate", a.toString(), true);
        JsonNode pb = port("mvprivate", b.toString(), true);
        assertEquals("<plug type='direct' dev='vnt-nic1' mode='private'/>", plug(pb));
        try (FdClient fds = new FdClient(daemon.socket())) {
            FileDescriptor fa = take(fds, pa);
            FileDescriptor fb = take(fds, pb);
            try {
                // the same frames that reach the LAN (its answer proves they left) never reach the other guest
                assertNotNull(exchange(fa, arpRequest(a, ip("10.78.0.10"), ip("10.78.0.1")), f -> isArp(f, 2, ip("10.78.0.1"))),
                        "the LAN answers guest A");
                assertNotNull(exchange(fb, arpRequest(b, ip("10.78.0.11"), ip("10.78.0.1")), f -> isArp(f, 2, ip("10.78.0.1"))),
                        "the LAN answers guest B");
                DhcpFrames.write(fa, arpRequest(a, ip("10.78.0.10"), ip("10.78.0.11")));
                DhcpFrames.write(fa, arpReply(a, ip("10.78.0.10"), b, ip("10.78.0.11")));
                assertNull(await(fb, f -> isArp(f, 1, ip("10.78.0.10")) || isArp(f, 2, ip("10.78.0.10")), 1500),
                        "guest B sees neither guest A's broadcast nor its unicast");
            } finally {
                fa.close();
                fb.close();
            }
        }
        daemon.call("network.destroy", params("network", "mvprivate"));
        for (JsonNode p : List.of(pa, pb)) {
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
    }

    @Test
    void passthroughGivesEachDeviceToOnePortAndRefusesASecond() throws Exception {
        createNetwork("mvpass", "passthrough", "vnt-nic2", "vnt-nic3");
        JsonNode p1 = port("mvpass", "52:54:00:79:00:01", false);
        JsonNode p2 = port("mvpass", "52:54:00:79:00:02", false);
        assertEquals("<plug type='direct' dev='vnt-nic2' mode='passthrough'/>", plug(p1));
        assertEquals("<plug type='direct' dev='vnt-nic3' mode='passthrough'/>", plug(p2));
        DaemonRpc.RpcFailure full = daemon.fail("port.create", params("network", "mvpass", "mac", "52:54:00:79:00:03"));
        assertEquals(ErrorCode.CONFLICT.number(), full.code);
        assertTrue(full.getMessage().endsWith("internal error: network 'mvpass' requires exclusive access to interfaces, but none are available"),
                full.getMessage());
        daemon.call("port.delete", params("uuid", p1.get("uuid").asText()));
        JsonNode p3 = port("mvpass", "52:54:00:79:00:04", false);
        assertEquals("<plug type='direct' dev='vnt-nic2' mode='passthrough'/>", plug(p3), "a deleted port's device is free again");
        for (JsonNode p : List.of(p2, p3)) {
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
        daemon.call("network.destroy", params("network", "mvpass"));
    }

    @Test
    void connectionCountsAreRebuiltFromTheStoredPortsOnRestart() throws Exception {
        createNetwork("mvcount", "vepa", "vnt-nic4", "vnt-nic5");
        JsonNode p1 = port("mvcount", "52:54:00:7a:00:01", false);
        JsonNode p2 = port("mvcount", "52:54:00:7a:00:02", false);
        JsonNode p3 = port("mvcount", "52:54:00:7a:00:03", false);
        assertEquals(List.of("vnt-nic4", "vnt-nic5", "vnt-nic4"), List.of(dev(p1), dev(p2), dev(p3)), "the least used first");
        daemon.call("port.delete", params("uuid", p2.get("uuid").asText()));
        daemon.stop();
        daemon.start("--no-default-network");
        String live = daemon.call("network.getXml", params("network", "mvcount")).get("xml").asText();
        assertTrue(live.contains("<interface dev='vnt-nic4' connections='2'/>") && live.contains("<interface dev='vnt-nic5'/>"), live);
        // counted from nothing, vnt-nic4 (first in the pool) would be chosen again
        JsonNode p4 = port("mvcount", "52:54:00:7a:00:04", false);
        assertEquals("vnt-nic5", dev(p4));
        for (JsonNode p : List.of(p1, p3, p4)) {
            daemon.call("port.delete", params("uuid", p.get("uuid").asText()));
        }
        daemon.call("network.destroy", params("network", "mvcount"));
    }

    private String dev(JsonNode port) throws Exception {
        String plug = plug(port);
        int at = plug.indexOf("dev='") + 5;
        return plug.substring(at, plug.indexOf('\'', at));
    }

    // ---- a guest's frames

    private static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer arpRequest(MacAddress from, Inet4Address fromIp, Inet4Address target) {
        return arp(new byte[] {-1, -1, -1, -1, -1, -1}, 1, from, fromIp, new byte[6], target);
    }

    private static ByteBuffer arpReply(MacAddress from, Inet4Address fromIp, MacAddress to, Inet4Address toIp) {
        return arp(to.octets(), 2, from, fromIp, to.octets(), toIp);
    }

    private static ByteBuffer arp(byte[] dst, int op, MacAddress from, Inet4Address fromIp, byte[] targetMac, Inet4Address target) {
        ByteBuffer f = ByteBuffer.allocateDirect(60);
        f.put(dst).put(from.octets()).putShort((short) 0x0806)
                .putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op)
                .put(from.octets()).put(fromIp.getAddress()).put(targetMac).put(target.getAddress());
        f.position(60);
        return f.flip();
    }

    /** An ARP frame of operation {@code op} whose sender protocol address is {@code sender}. */
    private static boolean isArp(ByteBuffer f, int op, Inet4Address sender) {
        if (f.limit() < 42 || (f.getShort(12) & 0xffff) != 0x0806 || (f.getShort(20) & 0xffff) != op) {
            return false;
        }
        byte[] spa = new byte[4];
        f.get(28, spa);
        return Arrays.equals(spa, sender.getAddress());
    }

    /** Sends {@code frame} every 300 ms until a frame {@code wanted} comes back, for at most 5 s; null if none. */
    private static ByteBuffer exchange(FileDescriptor fd, ByteBuffer frame, java.util.function.Predicate<ByteBuffer> wanted)
            throws Exception {
        return exchange(fd, fd, frame, wanted);
    }

    /** Sends {@code frame} into {@code out} every 300 ms until a frame {@code wanted} arrives at {@code in}, for at most 5 s. */
    private static ByteBuffer exchange(FileDescriptor out, FileDescriptor in, ByteBuffer frame,
            java.util.function.Predicate<ByteBuffer> wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            DhcpFrames.write(out, frame.duplicate());
            ByteBuffer got = await(in, wanted, 300);
            if (got != null) {
                return got;
            }
        }
        return null;
    }

    /** Reads frames until one is {@code wanted} or {@code millis} pass (then null). */
    private static ByteBuffer await(FileDescriptor fd, java.util.function.Predicate<ByteBuffer> wanted, long millis) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            buf.clear();
            int n = fd.read(buf, 0, buf.capacity());
            if (n <= 0) {
                Thread.sleep(1);
                continue;
            }
            ByteBuffer frame = buf.duplicate().position(0).limit(n);
            if (wanted.test(frame)) {
                return frame;
            }
        }
        return null;
    }
}
