package org.vnetd.daemon.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.libvirt.LibvirtServer;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Dhcpcd;
import org.vnetd.testing.dhcp.Udhcpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DHCPv6 through the real daemon, with real clients: a network with an IPv6 {@code <dhcp>} range and a
 * {@code <host id name ip>} reservation. ISC {@code dhclient -6} in two guests gets two different
 * addresses from the range (the RA tells them to ask: M set, A clear); the leases are listed as
 * {@code ipv6} with the client's DUID, its IAID and the MAC the DUID carries (and so by virsh through vnetd's
 * libvirt protocol), the name one sends as its FQDN (RFC 4704) names its lease and resolves, they survive {@code kill -9},
 * and a release by the client ends one. {@code dhcpcd -6} gets an address and the DNS server, renews
 * and releases, and so does busybox {@code udhcpc6} (built by {@code scripts/build-busybox-udhcpc6}: Debian's
 * busybox lacks it). A client holding the reservation gets its address, and its name resolves (AAAA and
 * ip6.arpa PTR) in the network's DNS.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Dhcp6DaemonNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern IAADDR = Pattern.compile("iaaddr (fd67::[0-9a-f:]+)");
    private static final String RESERVED_MAC = "52:54:00:67:00:77";
    private static final String XML = """
            <network>
              <name>v6d</name>
              <forward mode='route'/>
              <bridge name='vbr-v6d' stp='off'/>
              <ip address='10.77.8.1' prefix='24'/>
              <ip family='ipv6' address='fd67::1' prefix='64'>
                <dhcp>
                  <range start='fd67::100' end='fd67::1ff'/>
                  <host id='0:3:0:1:52:54:0:67:0:77' name='sixer' ip='fd67::77'/>
                </dhcp>
              </ip>
            </network>""";

    @TempDir
    Path dir;

    @Test
    void dhclientGetsAnAddressFromTheRangeItSurvivesKill9AndTheClientReleasesIt() throws Exception {
        NetnsSupport.require("dhclient", "rdisc6", "nft", "virsh");
        try (TestNetns host = TestNetns.create("d6host"); TestNetns g1 = TestNetns.create("d6g1"); TestNetns g2 = TestNetns.create("d6g2");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"))) {
            startNetwork(d);
            List<String> addresses = new ArrayList<>();
            List<String> macs = new ArrayList<>();
            int i = 0;
            for (TestNetns g : List.of(g1, g2)) {
                i++;
                String mac = String.format("52:54:00:67:01:%02x", i);
                plug(host, g, "vg" + i, "eth0", mac);
                macs.add(mac);
                // the second sends its name as a client FQDN (RFC 4704): the lease carries it, DNS answers it
                Path conf = dir.resolve("g" + i + ".conf");
                Files.writeString(conf, i == 2 ? "send fqdn.fqdn \"gamma\";\n" : "");
                addresses.add(dhclient(g, "g" + i, List.of("-cf", conf.toString())));
            }
            for (String a : addresses) {
                String last = a.substring(a.lastIndexOf(':') + 1);
                int v = Integer.parseInt(last, 16);
                assertTrue(a.startsWith("fd67:0:0:0:0:0:0:") && v >= 0x100 && v <= 0x1ff, "in the range: " + a);
            }
            assertTrue(!addresses.get(0).equals(addresses.get(1)), "two clients, two addresses: " + addresses);
            String ra = g1.execOk("rdisc6", "-1", "-r", "5", "-w", "2000", "eth0").replaceAll("[ \t]+", " ");
            assertTrue(ra.contains("Stateful address conf. : Yes") && ra.contains("Autonomous address conf.: No"), ra);

            // as libvirt lists dnsmasq's: the DUID (dhclient's DUID-LLT) as client id, the MAC it holds, the IAID
            JsonNode listed = leases(d);
            for (int k = 0; k < 2; k++) {
                JsonNode l = byAddress(listed, addresses.get(k));
                assertEquals(macs.get(k), l.path("mac").asText(), l.toString());
                assertTrue(l.path("clientId").asText().startsWith("00:01:00:01:") && l.path("clientId").asText().endsWith(macs.get(k)),
                        l.toString());
                assertTrue(l.path("iaid").asText().matches("[0-9]+"), l.toString());
            }
            assertEquals("gamma", byAddress(listed, addresses.get(1)).path("hostname").asText(), "the name of the client's FQDN");
            Await.until(WAIT, "AAAA of the client's FQDN name", () -> InetAddress.getByName(addresses.get(1)).equals(
                    firstAddress(host.execOk("dig", "+short", "+time=3", "+tries=2", "@fd67::1", "AAAA", "gamma"))));
            // libvirt's own client, through vnetd's libvirt protocol: the same rows as virsh prints them
            String virsh = new ProcessRunner(Duration.ofSeconds(30)).run("virsh", "-c", "network:///system?socket="
                    + d.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET), "net-dhcp-leases", "v6d");
            for (int k = 0; k < 2; k++) {
                JsonNode l = byAddress(listed, addresses.get(k));
                String mac = macs.get(k);
                String row = virsh.lines().filter(line -> line.contains(mac)).findFirst()
                        .orElseThrow(() -> new AssertionError("virsh net-dhcp-leases has no row of " + mac + ":\n" + virsh));
                assertTrue(row.contains(" ipv6 ") && row.contains(l.path("ipAddress").asText() + "/64")
                        && row.contains(l.path("clientId").asText()), row);
            }
            List<String> sorted = new ArrayList<>(addresses);
            sorted.sort(null);
            assertEquals(sorted, leased(d));
            d.kill9();
            d.start();
            Await.until(WAIT, "the leases after kill -9", () -> leased(d).equals(sorted));

            // the first client releases its address (dhclient -r sends RELEASE for the lease it recorded)
            var release = g1.exec(Duration.ofSeconds(60), "dhclient", "-6", "-r", "-v", "-lf", dir.resolve("g1.leases").toString(),
                    "-pf", dir.resolve("g1.pid").toString(), "-sf", "/bin/true", "eth0");
            assertTrue(release.ok(), "dhclient -6 -r: " + release);
            Await.until(WAIT, "the released lease gone", () -> leased(d).equals(List.of(addresses.get(1))));
        }
    }

    @Test
    void dhcpcdAndUdhcpc6BindRenewAndReleaseAndAReservedNameResolves() throws Exception {
        NetnsSupport.require("dhcpcd", "dhclient", "dig", Udhcpc.BUSYBOX_UDHCPC6.toString());
        // dhcpcd's control socket and lease file are named after the interface: unique on the machine
        String ifname = "d6c" + (ProcessHandle.current().pid() % 100_000);
        try (TestNetns host = TestNetns.create("d6h2"); TestNetns g1 = TestNetns.create("d6c1"); TestNetns g2 = TestNetns.create("d6c2");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"))) {
            startNetwork(d);
            plug(host, g1, "vc1", ifname, "52:54:00:67:02:01");
            try (Dhcpcd c = new Dhcpcd(new DhcpClientNs(g1, ifname, "52:54:00:67:02:01"), null, Dhcpcd.Family.V6)) {
                c.start();
                DhcpLeaseInfo bound = c.awaitBound(Duration.ofSeconds(60));
                String a = InetAddress.getByName(bound.address()).getHostAddress();
                assertTrue(a.startsWith("fd67:0:0:0:0:0:0:1"), "from the range: " + bound);
                assertEquals(List.of("fd67::1"), bound.dns(), "the bridge's address as DNS server: " + bound.env());
                assertEquals(List.of(a), leased(d));
                long expiry = byAddress(leases(d), a).path("expiryTime").asLong();

                DhcpLeaseInfo renewed = c.renewNow(WAIT);
                assertEquals(a, InetAddress.getByName(renewed.address()).getHostAddress(), "renewed, same address: " + renewed);
                Await.until(WAIT, "the renewal extends the lease",
                        () -> byAddress(leases(d), a).path("expiryTime").asLong() > expiry || expiry == 0);

                c.release();
                Await.until(WAIT, "the released lease gone", () -> leased(d).isEmpty());
            }
            plug(host, g1, "vu1", "u6", "52:54:00:67:03:01");
            try (Udhcpc c = new Udhcpc(new DhcpClientNs(g1, "u6", "52:54:00:67:03:01"), false, null, Udhcpc.Family.V6)) {
                c.start();
                DhcpLeaseInfo bound = c.awaitBound(Duration.ofSeconds(60));
                String a = InetAddress.getByName(bound.address()).getHostAddress();
                assertTrue(a.startsWith("fd67:0:0:0:0:0:0:1"), "from the range: " + bound);
                // udhcpc6 writes addresses in full (fd67:0000:…)
                assertEquals(List.of(InetAddress.getByName("fd67::1")), bound.dns().stream().map(Dhcp6DaemonNetnsTest::inet).toList(),
                        "the bridge's address as DNS server: " + bound.env());
                // the default lease time; busybox 1.35 reports the valid lifetime in host byte order (no ntohl)
                long lease = bound.leaseSeconds();
                assertTrue(lease == 3600 || Integer.reverseBytes((int) lease) == 3600, "the default lease time: " + bound.env());
                assertEquals(List.of(a), leased(d));
                long expiry = byAddress(leases(d), a).path("expiryTime").asLong();
                // expiries are whole seconds: renew in a later one, so the extension shows
                Await.until(WAIT, "the next second", () -> java.time.Instant.now().getEpochSecond() >= expiry - 3600 + 1);

                DhcpLeaseInfo renewed = c.renewNow(WAIT);
                assertEquals(a, InetAddress.getByName(renewed.address()).getHostAddress(), "renewed, same address: " + renewed);
                Await.until(WAIT, "the renewal extends the lease", () -> byAddress(leases(d), a).path("expiryTime").asLong() > expiry);

                c.release();
                Await.until(WAIT, "the released lease gone", () -> leased(d).isEmpty());
            }

            // the reservation's client (DUID-LL of its MAC, as libvirt's <host id> names it) gets its address and name
            plug(host, g2, "vc2", "eth0", RESERVED_MAC);
            assertEquals("fd67:0:0:0:0:0:0:77", dhclient(g2, "r", List.of("-D", "LL")));
            JsonNode l = byAddress(leases(d), "fd67:0:0:0:0:0:0:77");
            assertEquals("sixer", l.path("hostname").asText(), l.toString());
            g2.execOk("ip", "-6", "addr", "add", "fd67::77/64", "dev", "eth0", "nodad");
            String aaaa = g2.execOk("dig", "+short", "+time=3", "+tries=2", "@fd67::1", "AAAA", "sixer").trim();
            assertEquals("fd67::77", aaaa, "AAAA of a DHCPv6 name");
            String ptr = g2.execOk("dig", "+short", "+time=3", "+tries=2", "@fd67::1", "-x", "fd67::77").trim();
            assertEquals("sixer.", ptr, "ip6.arpa PTR of a DHCPv6 name");
        }
    }

    private static void startNetwork(DaemonProcess d) throws Exception {
        d.start();
        d.call("network.define", Map.of("xml", XML));
        d.call("network.start", Map.of("network", "v6d"));
    }

    private static void plug(TestNetns host, TestNetns g, String hostSide, String ifname, String mac) throws Exception {
        host.execOk("ip", "link", "add", hostSide, "type", "veth", "peer", "name", ifname, "netns", g.name());
        host.execOk("ip", "link", "set", hostSide, "master", "vbr-v6d", "up");
        g.execOk("ip", "link", "set", ifname, "address", mac, "up");
        Await.until(WAIT, "the guest's link-local address", () -> g.execOk("ip", "-6", "addr", "show", "dev", ifname,
                "scope", "link", "-tentative").contains("inet6 fe80::"));
    }

    /** One {@code dhclient -6 -1} exchange on eth0 (left running to renew, then ended); the address it recorded. */
    private String dhclient(TestNetns g, String tag, List<String> extra) throws Exception {
        Path leases = dir.resolve(tag + ".leases");
        Files.writeString(leases, "");
        List<String> argv = new ArrayList<>(List.of("dhclient", "-6", "-1", "-v"));
        argv.addAll(extra);
        // -sf /bin/true: record the lease, configure nothing
        argv.addAll(List.of("-lf", leases.toString(), "-pf", dir.resolve(tag + ".pid").toString(), "-sf", "/bin/true", "eth0"));
        var run = g.exec(Duration.ofSeconds(90), argv.toArray(String[]::new));
        assertTrue(run.ok(), "dhclient -6: " + run);
        Matcher m = IAADDR.matcher(Files.readString(leases));
        assertTrue(m.find(), "dhclient -6 recorded an address:\n" + Files.readString(leases));
        Path pid = dir.resolve(tag + ".pid");
        if (Files.exists(pid) && !Files.readString(pid).isBlank()) {
            org.vnetd.testing.Exec.run("kill", Files.readString(pid).trim());
        }
        return InetAddress.getByName(m.group(1)).getHostAddress();
    }

    /** Runs a command in this (the test's) namespace, bounded; its stdout, or an assertion with its output. */
    private record ProcessRunner(Duration timeout) {
        String run(String... argv) {
            var r = org.vnetd.testing.Exec.run(timeout, null, List.of(argv));
            assertTrue(r.ok(), String.join(" ", argv) + ": " + r);
            return r.stdout();
        }
    }

    /** The first line of dig's short answer as an address; null when there is none. */
    private static InetAddress firstAddress(String digShort) {
        String first = digShort.strip().lines().findFirst().orElse("");
        return first.isEmpty() ? null : inet(first);
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an address: " + literal, e);
        }
    }

    private static JsonNode leases(DaemonProcess d) throws Exception {
        return d.call("network.dhcpLeases", Map.of("network", "v6d"));
    }

    private static JsonNode byAddress(JsonNode leases, String address) throws Exception {
        for (JsonNode l : leases) {
            if (InetAddress.getByName(l.path("ipAddress").asText()).getHostAddress().equals(address)) {
                return l;
            }
        }
        throw new AssertionError("no lease of " + address + " in " + leases);
    }

    private static List<String> leased(DaemonProcess d) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode l : leases(d)) {
            if ("ipv6".equals(l.path("protocol").asText())) {
                out.add(InetAddress.getByName(l.path("ipAddress").asText()).getHostAddress());
            }
        }
        out.sort(null);
        return out;
    }
}
