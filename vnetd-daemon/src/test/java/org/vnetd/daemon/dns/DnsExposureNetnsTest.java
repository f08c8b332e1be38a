package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The DNS forwarder is no open resolver (libvirt's CVE-2012-3411): it answers only what arrives on its
 * own network's bridge. A "host" namespace has network A's bridge (the service under test) and network
 * B's bridge, each with a guest; an "upstream" namespace routes to both subnets through the host, as
 * any machine on the host's LAN can. The upstream machine and B's guest ask A's addresses and get no
 * answer, over UDP and TCP, IPv4 and IPv6; A's own guest does, and so does the host itself (as with
 * libvirt's dnsmasq, which answers queries arriving on lo for its addresses). No firewall rule is involved here:
 * this is the listening sockets' own check (the firewall's is tested in the firewall backends' tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsExposureNetnsTest {
    private static final String A4 = "10.71.0.1";
    private static final String A6 = "fd71::1";

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNetns host;
    private TestNetns guestA;
    private TestNetns guestB;
    private TestNetns upstream;
    private NetnsExecutor inHost;
    private EventLoopGroup group;
    private DnsService dns;
    private Path resolvConf;

    @BeforeAll
    void topology() throws Exception {
        NetnsSupport.require("dig");
        host = track(TestNetns.create("dnsxh"));
        guestA = track(TestNetns.create("dnsxa"));
        guestB = track(TestNetns.create("dnsxb"));
        upstream = track(TestNetns.create("dnsxu"));
        bridge("br0", A4 + "/24", A6 + "/64");
        bridge("br1", "10.72.0.1/24", "fd72::1/64");
        guest(guestA, "vxa", "br0", "10.71.0.11/24", "fd71::11/64", "10.71.0.1", "fd71::1");
        guest(guestB, "vxb", "br1", "10.72.0.11/24", "fd72::11/64", "10.72.0.1", "fd72::1");
        host.veth("vxu", upstream, "eth0");
        host.execOk("ip", "addr", "add", "10.73.0.1/24", "dev", "vxu");
        host.execOk("ip", "-6", "addr", "add", "fd73::1/64", "dev", "vxu", "nodad");
        upstream.execOk("ip", "addr", "add", "10.73.0.2/24", "dev", "eth0");
        upstream.execOk("ip", "-6", "addr", "add", "fd73::2/64", "dev", "eth0", "nodad");
        // the LAN's route to the guests' subnets goes through the host, as libvirt's routed setups document
        upstream.execOk("ip", "route", "add", "10.71.0.0/16", "via", "10.73.0.1");
        upstream.execOk("ip", "-6", "route", "add", "fd71::/15", "via", "fd73::1");

        resolvConf = Files.createTempFile("vnetd-dnsx-resolv", ".conf");
        Files.writeString(resolvConf, "# nothing is forwarded in this test\n");
        inHost = NetnsExecutor.enter(host);
        group = inHost.call(() -> {
            EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            g.submit(() -> { }).sync();
            return g;
        });
        dns = new DnsService("dnsx", group, ResolvConfWatcher.of(resolvConf), DnsConfig.DNS_PORT);
        inHost.run(() -> dns.start(DnsConfig.defaults("br0", List.of(IpAddresses.parse(A4), IpAddresses.parse(A6)))
                .withDomain("example.com", true)
                .withHosts(List.of(DnsConfig.Host.of("10.71.0.122", "pudding")))));
        dns.putGuest("guest1", IpAddresses.parse("10.71.0.11"));
    }

    @AfterAll
    void teardown() throws Exception {
        if (dns != null) {
            inHost.run(dns::stop);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (inHost != null) {
            inHost.close();
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (resolvConf != null) {
            Files.deleteIfExists(resolvConf);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({A4 + ",udp", A4 + ",tcp", A6 + ",udp", A6 + ",tcp"})
    void ownGuestIsAnswered(String server, String transport) {
        assertEquals("10.71.0.122", dig(guestA, server, transport, "+short", "pudding.example.com").strip());
        assertEquals("10.71.0.11", dig(guestA, server, transport, "+short", "guest1.example.com").strip());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({A4 + ",udp", A4 + ",tcp", A6 + ",udp", A6 + ",tcp"})
    void hostItselfIsAnswered(String server, String transport) {
        assertEquals("10.71.0.11", dig(host, server, transport, "+short", "guest1.example.com").strip());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({A4 + ",udp", A4 + ",tcp", A6 + ",udp", A6 + ",tcp"})
    void upstreamMachineGetsNoAnswer(String server, String transport) {
        assertNoAnswer(upstream, server, transport);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({A4 + ",udp", A4 + ",tcp", A6 + ",udp", A6 + ",tcp"})
    void guestOfAnotherNetworkGetsNoAnswer(String server, String transport) {
        assertNoAnswer(guestB, server, transport);
    }

    private void assertNoAnswer(TestNetns from, String server, String transport) {
        // the same query answers A's guest (ownGuestIsAnswered); here no DNS header may come back at all
        for (String name : List.of("guest1.example.com", "pudding.example.com")) {
            String out = dig(from, server, transport, name);
            assertFalse(out.contains("->>HEADER<<-"), "answered from " + from.name() + ":\n" + out);
            assertTrue(out.contains("no servers could be reached") || out.contains("connection refused")
                    || out.contains("timed out"), "dig did not reach the point of asking:\n" + out);
        }
    }

    private void bridge(String name, String ip4, String ip6) {
        host.execOk("ip", "link", "add", name, "type", "bridge");
        host.execOk("ip", "addr", "add", ip4, "dev", name);
        host.execOk("ip", "-6", "addr", "add", ip6, "dev", name, "nodad");
        host.execOk("ip", "link", "set", name, "up");
    }

    private void guest(TestNetns guest, String hostSide, String bridge, String ip4, String ip6, String gw4, String gw6) {
        host.veth(hostSide, guest, "eth0");
        host.execOk("ip", "link", "set", hostSide, "master", bridge);
        guest.execOk("ip", "addr", "add", ip4, "dev", "eth0");
        guest.execOk("ip", "-6", "addr", "add", ip6, "dev", "eth0", "nodad");
        guest.execOk("ip", "route", "add", "default", "via", gw4);
        guest.execOk("ip", "-6", "route", "add", "default", "via", gw6);
    }

    private TestNetns track(TestNetns ns) {
        cleanup.add(ns);
        return ns;
    }

    private static String dig(TestNetns ns, String server, String transport, String... args) {
        List<String> argv = new ArrayList<>(List.of("dig", "@" + server, "+time=2", "+tries=1",
                "tcp".equals(transport) ? "+tcp" : "+notcp"));
        argv.addAll(List.of(args));
        return ns.exec(Duration.ofSeconds(20), argv.toArray(String[]::new)).stdout();
    }
}
