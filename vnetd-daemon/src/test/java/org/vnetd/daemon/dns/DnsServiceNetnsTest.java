package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The DNS service for real: a "host" namespace with a bridge and the service on its address,
 * guests in their own namespaces behind veths on the bridge asking with {@code dig} and glibc,
 * and an "upstream" namespace where dnsmasq plays the ISP's resolver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsServiceNetnsTest {
    private static final String BRIDGE_IP = "10.77.0.1";
    private static final String GUEST1_IP = "10.77.0.11";
    private static final String GUEST2_IP = "10.77.0.12";
    private static final String BRIDGE_IP6 = "fd77::1";
    private static final String UPSTREAM_IP = "10.88.0.2";
    private static final int SILENT_PORT = 5354;
    private static final String BIG_TXT = "t".repeat(200);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNetns host;
    private TestNetns guest1;
    private TestNetns guest2;
    private TestNetns upstream;
    private NetnsExecutor inHost;
    private EventLoopGroup group;
    private DnsService dns;
    private Path resolvConf;
    private Process dnsmasq;
    private Process silentResolver;

    @BeforeAll
    void topology() throws Exception {
        NetnsSupport.require("dig", "dnsmasq", "python3", "ss");
        host = track(TestNetns.create("dnshost"));
        guest1 = track(TestNetns.create("dnsg1"));
        guest2 = track(TestNetns.create("dnsg2"));
        upstream = track(TestNetns.create("dnsup"));
        host.execOk("ip", "link", "add", "br0", "type", "bridge");
        host.execOk("ip", "addr", "add", BRIDGE_IP + "/24", "dev", "br0");
        host.execOk("ip", "-6", "addr", "add", BRIDGE_IP6 + "/64", "dev", "br0", "nodad");
        host.execOk("ip", "link", "set", "br0", "up");
        attach(guest1, "vg1", GUEST1_IP);
        guest1.execOk("ip", "-6", "addr", "add", "fd77::11/64", "dev", "eth0", "nodad");
        attach(guest2, "vg2", GUEST2_IP);
        host.veth("vup", upstream, "eth0");
        host.execOk("ip", "addr", "add", "10.88.0.1/24", "dev", "vup");
        upstream.execOk("ip", "addr", "add", UPSTREAM_IP + "/24", "dev", "eth0");

        // the ISP's resolver: fixed answers only, never asks anyone else
        List<String> argv = new ArrayList<>(List.of("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--pid-file=", "--local-ttl=300", "--bind-interfaces", "--listen-address=" + UPSTREAM_IP, "-p", "53",
                "--address=/up.example/10.9.9.9", "--address=/example.com/10.9.9.8", "--address=/plainname/10.9.9.7"));
        for (int i = 0; i < 8; i++) {
            argv.add("--txt-record=big.up.example," + BIG_TXT);
        }
        dnsmasq = upstream.start(argv.toArray(String[]::new));
        waitUntil(() -> dig(host, UPSTREAM_IP, "www.up.example", "A").contains("10.9.9.9"), "dnsmasq answering");
        // a resolver that takes queries and never answers: they stay in flight until the forwarder gives
        // up (a port with nobody would answer at once with ICMP port unreachable)
        silentResolver = upstream.start("python3", "-c", String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.bind(('" + UPSTREAM_IP + "', " + SILENT_PORT + "))",
                "while True:",
                "    s.recv(4096)"));
        waitUntil(() -> upstream.execOk("ss", "-Hlnu").contains(UPSTREAM_IP + ":" + SILENT_PORT), "the silent resolver");

        resolvConf = Files.createTempFile("vnetd-dns-resolv", ".conf");
        Files.writeString(resolvConf, "# test\nnameserver " + UPSTREAM_IP + "\n");
        inHost = NetnsExecutor.enter(host);
        group = inHost.call(() -> {
            EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            // start the loop thread from here so it, and sockets it opens later, live in the namespace
            g.submit(() -> { }).sync();
            return g;
        });
        dns = new DnsService("dnstest", group, ResolvConfWatcher.of(resolvConf), DnsConfig.DNS_PORT);
        inHost.run(() -> dns.start(config()));
    }

    @BeforeEach
    void resetConfig() {
        inHost.run(() -> dns.reconfigure(config()));
    }

    private static DnsConfig config() {
        List<DnsConfig.Txt> txt = new ArrayList<>();
        txt.add(new DnsConfig.Txt("motd", "hello guests"));
        for (int i = 0; i < 8; i++) {
            txt.add(new DnsConfig.Txt("big", BIG_TXT + i));
        }
        return DnsConfig.defaults("br0", List.of(IpAddresses.parse(BRIDGE_IP), IpAddresses.parse(BRIDGE_IP6)))
                .withDomain("example.com", true)
                .withHosts(List.of(DnsConfig.Host.of("10.77.0.122", "pudding"), DnsConfig.Host.of("fd77::122", "pudding"),
                        DnsConfig.Host.of(BRIDGE_IP, "gateway")))
                .withSrvRecords(List.of(DnsConfig.Srv.of("ldap", "tcp", null, "pudding.example.com", 389, 10, 20)))
                .withTxtRecords(txt)
                .withLocalPtrSubnets(List.of(IpPrefix.parse("10.77.0.0/24")));
    }

    @AfterAll
    void teardown() throws Exception {
        if (dns != null) {
            inHost.run(dns::stop);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (inHost != null) {
            inHost.close();
        }
        if (dnsmasq != null) {
            dnsmasq.destroyForcibly().waitFor();
        }
        if (silentResolver != null) {
            silentResolver.destroyForcibly().waitFor();
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (resolvConf != null) {
            Files.deleteIfExists(resolvConf);
        }
    }

    @Test
    void dnsHostEntriesResolveFromGuests() {
        assertEquals("10.77.0.122", digShort(guest1, "pudding.example.com", "A"));
        assertEquals("10.77.0.122", digShort(guest2, "pudding", "A"));
        assertEquals(BRIDGE_IP, digShort(guest1, "gateway.example.com", "A"));
        String nodata = dig(guest1, BRIDGE_IP, "gateway.example.com", "AAAA");
        assertTrue(nodata.contains("status: NOERROR") && nodata.contains("ANSWER: 0") && nodata.contains("flags: qr aa"), nodata);
    }

    @Test
    void guestNamesComeAndGoWithTheirLeases() {
        InetAddress ip = IpAddresses.parse(GUEST2_IP);
        assertTrue(dig(guest1, BRIDGE_IP, "vm2.example.com", "A").contains("status: NXDOMAIN"));
        dns.putGuest("vm2", ip);
        assertEquals(GUEST2_IP, digShort(guest1, "vm2.example.com", "A"));
        assertEquals(GUEST2_IP, digShort(guest1, "vm2", "A"));
        assertEquals("vm2.example.com.", digShort(guest1, "-x", GUEST2_IP));
        dns.removeGuest(ip);
        assertTrue(dig(guest1, BRIDGE_IP, "vm2.example.com", "A").contains("status: NXDOMAIN"));
    }

    @Test
    void srvTxtAndReverseLookups() {
        assertEquals("10 20 389 pudding.example.com.", digShort(guest1, "_ldap._tcp.example.com", "SRV"));
        assertEquals("\"hello guests\"", digShort(guest1, "motd", "TXT"));
        assertEquals("pudding.example.com.", digShort(guest1, "-x", "10.77.0.122"));
        // an unknown address in a localPtr subnet: NXDOMAIN here, never asked upstream
        assertTrue(dig(guest1, BRIDGE_IP, "-x", "10.77.0.99").contains("status: NXDOMAIN"));
    }

    @Test
    void forwardedNamesAreAnsweredByUpstreamAndCached() {
        long cachedBefore = dns.stats().answeredFromCache();
        assertEquals("10.9.9.9", digShort(guest1, "www.up.example", "A"));
        assertEquals("10.9.9.9", digShort(guest2, "WWW.UP.example", "A"));
        assertTrue(dns.stats().answeredFromCache() > cachedBefore, dns.stats().toString());
        // an explicit forwarder replaces resolv.conf: port 5353 has nobody, so this must fail...
        inHost.run(() -> dns.reconfigure(config().withForwarders(List.of(
                new DnsConfig.Forwarder(java.util.Optional.of(IpAddresses.parse(UPSTREAM_IP)), 5353, java.util.Optional.empty())))));
        long t0 = System.nanoTime();
        String out = dig(guest1, BRIDGE_IP, "other.up.example", "A");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(out.contains("status: SERVFAIL"), out);
        assertTrue(ms < 5000, "SERVFAIL took " + ms + " ms");
        // ...while split DNS sends only up.example to the real one
        inHost.run(() -> dns.reconfigure(config().withForwarders(List.of(
                new DnsConfig.Forwarder(java.util.Optional.of(IpAddresses.parse(UPSTREAM_IP)), 5353, java.util.Optional.empty()),
                DnsConfig.Forwarder.forDomain("up.example", UPSTREAM_IP, 53)))));
        assertEquals("10.9.9.9", digShort(guest1, "split.up.example", "A"));
    }

    @Test
    void identicalQueriesInFlightGoUpstreamOnceAndAllGetServfail() throws Exception {
        inHost.run(() -> dns.reconfigure(config().withForwarders(List.of(
                new DnsConfig.Forwarder(java.util.Optional.of(IpAddresses.parse(UPSTREAM_IP)), SILENT_PORT, java.util.Optional.empty())))));
        DnsStats before = dns.stats();
        String script = String.join("\n",
                "import socket, struct, time",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "name = b''.join(bytes([len(l)]) + l for l in b'herd.up.example'.split(b'.')) + b'\\0'",
                "for i in range(20):",
                "    s.sendto(struct.pack('>HHHHHH', i, 0x0100, 1, 0, 0, 0) + name + struct.pack('>HH', 1, 1), ('" + BRIDGE_IP + "', 53))",
                "s.settimeout(4.5)",
                "t0 = time.time()",
                "codes = []",
                "try:",
                "    while len(codes) < 20:",
                "        d, _ = s.recvfrom(4096)",
                "        codes.append(d[3] & 15)",
                "except socket.timeout:",
                "    pass",
                "print(len(codes), sorted(set(codes)), 'late' if time.time() - t0 > 4.0 else 'ok')");
        String out = guest2.exec(Duration.ofSeconds(20), "python3", "-c", script).stdout().strip();
        assertEquals("20 [2] ok", out, "20 answers, all SERVFAIL (rcode 2), before the client's timeout");
        DnsStats after = dns.stats();
        assertEquals(1, after.forwarded() - before.forwarded(), after.toString());
        assertEquals(19, after.coalesced() - before.coalesced(), after.toString());
    }

    @Test
    void localOnlyAndForwardPlainNames() {
        assertTrue(dig(guest1, BRIDGE_IP, "unknown.example.com", "A").contains("status: NXDOMAIN"));
        assertEquals("10.9.9.7", digShort(guest1, "plainname", "A"));
        inHost.run(() -> dns.reconfigure(config().withDomain("example.com", false).withForwardPlainNames(false)));
        assertEquals("10.9.9.8", digShort(guest1, "unknown.example.com", "A"));
        assertEquals("10.77.0.122", digShort(guest1, "pudding.example.com", "A"));
        assertTrue(dig(guest1, BRIDGE_IP, "plainname", "A").contains("status: NXDOMAIN"));
    }

    @Test
    void tcpAndTruncationRetry() {
        assertEquals("10.77.0.122", digShort(guest1, "+tcp", "pudding.example.com"));
        // 8 x 200-byte TXT: over 512 bytes, so UDP without EDNS is cut and dig must come back over TCP
        String local = dig(guest1, BRIDGE_IP, "+noedns", "big.example.com", "TXT");
        assertTrue(local.contains("Truncated, retrying in TCP mode"), local);
        assertTrue(local.contains("ANSWER: 8"), local);
        // the same through the forwarder: upstream cuts our UDP query, we ask it again over TCP
        String fwd = dig(guest1, BRIDGE_IP, "+noedns", "big.up.example", "TXT");
        assertTrue(fwd.contains("Truncated, retrying in TCP mode"), fwd);
        assertTrue(fwd.contains("ANSWER: 8"), fwd);
    }

    @Test
    void malformedQueriesAreDroppedWhileOthersAreServed() {
        long dropped = dns.stats().dropped();
        String script = String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "dst = ('" + BRIDGE_IP + "', 53)",
                "hdr = bytes([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])",
                "s.sendto(hdr, dst)",                                        // truncated: question missing
                "s.sendto(hdr + bytes([0xC0, 0x0C, 0, 1, 0, 1]), dst)",      // compression pointer to itself
                "s.sendto(hdr + bytes([3]) + b'www' + bytes([0xC0, 0x0C, 0, 1, 0, 1]), dst)", // loop through a label
                "s.sendto(hdr + bytes([1]) * 3000, dst)",                    // oversized
                "s.sendto(b'\\x00\\x01garbage', dst)",                       // shorter than a header
                "s.sendto(bytes([0x12, 0x34, 0x81, 0x80]) + bytes(8), dst)", // a response, not a query
                "s.settimeout(0.5)",
                "try:",
                "    print('REPLY', s.recvfrom(4096))",
                "except socket.timeout:",
                "    print('NO REPLY')");
        String out = guest2.execOk("python3", "-c", script);
        assertTrue(out.contains("NO REPLY"), out);
        assertEquals("10.77.0.122", digShort(guest1, "pudding.example.com", "A"));
        assertTrue(dns.stats().dropped() >= dropped + 6, dns.stats().toString());
    }

    @Test
    void reconfigureKeepsTheSockets() {
        String before = sockets();
        inHost.run(() -> dns.reconfigure(config().withHosts(List.of(DnsConfig.Host.of("10.77.0.123", "custard")))));
        assertEquals("10.77.0.123", digShort(guest1, "custard.example.com", "A"));
        assertTrue(dig(guest1, BRIDGE_IP, "pudding.example.com", "A").contains("status: NXDOMAIN"));
        assertEquals(before, sockets());
    }

    @Test
    void ipv6ListenerAndAaaaRecords() {
        assertEquals("fd77::122", dig(guest1, BRIDGE_IP6, "+short", "pudding.example.com", "AAAA").strip());
        assertEquals("10.77.0.122", dig(guest1, BRIDGE_IP6, "+short", "+tcp", "pudding.example.com", "A").strip());
        assertEquals("pudding.example.com.", digShort(guest1, "-x", "fd77::122"));
    }

    /** What aardvark-dns users hit: reloads during traffic must not lose a single query. */
    @Test
    void noQueryIsLostWhileReconfiguringUnderLoad() throws Exception {
        String script = String.join("\n",
                "import socket, struct, random",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.settimeout(1.0)",
                "name = b''.join(bytes([len(l)]) + l for l in b'pudding.example.com'.split(b'.')) + b'\\0'",
                "ok = lost = 0",
                "for i in range(1500):",
                "    qid = random.randrange(65536)",
                "    s.sendto(struct.pack('>HHHHHH', qid, 0x0100, 1, 0, 0, 0) + name + struct.pack('>HH', 1, 1), ('" + BRIDGE_IP + "', 53))",
                "    try:",
                "        while True:",
                "            d, _ = s.recvfrom(4096)",
                "            if struct.unpack('>H', d[:2])[0] == qid:",
                "                break",
                "        ok += 1",
                "    except socket.timeout:",
                "        lost += 1",
                "print('ok', ok, 'lost', lost)");
        Process p = guest2.start("python3", "-c", script);
        int reconfigurations = 0;
        for (int i = 0; i < 200 && p.isAlive(); i++) {
            DnsConfig c = i % 2 == 0 ? config().withHosts(List.of(DnsConfig.Host.of("10.77.0.122", "pudding"))) : config();
            inHost.run(() -> dns.reconfigure(c));
            dns.putGuest("churn" + i, IpAddresses.parse("10.77.0." + (150 + i % 50)));
            reconfigurations++;
            Thread.sleep(10);
        }
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "load script did not finish");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals("ok 1500 lost 0", out, "after " + reconfigurations + " reconfigurations");
        assertTrue(reconfigurations >= 5, "load finished before reconfiguring: " + reconfigurations);
        dns.replaceGuests(java.util.Map.of());
    }

    @Test
    void guestResolverFindsNamesThroughGetent() throws IOException {
        Path dir = Path.of("/etc/netns", guest1.name());
        boolean createdParent = !Files.isDirectory(dir.getParent());
        Files.createDirectories(dir);
        try {
            Files.writeString(dir.resolve("resolv.conf"), "nameserver " + BRIDGE_IP + "\nsearch example.com\n");
            String out = guest1.execOk("getent", "ahostsv4", "pudding");
            assertTrue(out.startsWith("10.77.0.122") && out.contains("pudding.example.com"), out);
            dns.putGuest("vm1", IpAddresses.parse(GUEST1_IP));
            assertTrue(guest1.execOk("getent", "hosts", "vm1.example.com").startsWith(GUEST1_IP));
            dns.removeGuest(IpAddresses.parse(GUEST1_IP));
        } finally {
            Files.deleteIfExists(dir.resolve("resolv.conf"));
            Files.deleteIfExists(dir);
            if (createdParent) {
                try {
                    Files.deleteIfExists(dir.getParent());
                } catch (IOException ignored) {
                    // another test created something there meanwhile: leave it
                }
            }
        }
    }

    /**
     * Inode numbers of our listening sockets on port 53 (per address UDP and TCP, each on the bridge and
     * on lo): the same numbers mean the same sockets.
     */
    private String sockets() {
        String out = host.execOk("ss", "-Hlnue", "sport", "=", ":53") + host.execOk("ss", "-Hlnte", "sport", "=", ":53");
        List<String> inodes = new ArrayList<>();
        Matcher m = Pattern.compile("ino:(\\d+)").matcher(out);
        while (m.find()) {
            inodes.add(m.group(1));
        }
        assertEquals(8, inodes.size(), out);
        return String.join(",", inodes);
    }

    private void attach(TestNetns guest, String hostSide, String ip) {
        host.veth(hostSide, guest, "eth0");
        host.execOk("ip", "link", "set", hostSide, "master", "br0");
        guest.execOk("ip", "addr", "add", ip + "/24", "dev", "eth0");
    }

    private TestNetns track(TestNetns ns) {
        cleanup.add(ns);
        return ns;
    }

    static String dig(TestNetns ns, String server, String... args) {
        List<String> argv = new ArrayList<>(List.of("dig", "@" + server, "+time=5", "+tries=1"));
        argv.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(20), argv.toArray(String[]::new)).stdout();
    }

    private static String digShort(TestNetns ns, String... args) {
        List<String> a = new ArrayList<>(List.of("+short"));
        a.addAll(List.of(args));
        return dig(ns, BRIDGE_IP, a.toArray(String[]::new)).strip();
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(5), Duration.ofMillis(100), what, ok::getAsBoolean);
    }
}
