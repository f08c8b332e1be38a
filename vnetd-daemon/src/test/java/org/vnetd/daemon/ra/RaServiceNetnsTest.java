package org.vnetd.daemon.ra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.ra.NdpOption;
import org.vnetd.core.ra.RaConfig;
import org.vnetd.core.ra.RaTiming;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Router advertisements for real: a "host" namespace with a bridge and the service on it, a guest
 * namespace behind a veth with {@code accept_ra=1}. The guest's kernel forms its SLAAC address from
 * the advertised prefix and routes through the bridge's link-local address; {@code rdisc6} shows
 * the flags and options; stopping withdraws the default route.
 */
class RaServiceNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNetns host;
    private TestNetns guest;
    private NetnsExecutor inHost;
    private RaService service;

    @BeforeEach
    void topology() throws Exception {
        NetnsSupport.require("rdisc6");
        host = track(TestNetns.create("rahost"));
        guest = track(TestNetns.create("raguest"));
        host.execOk("ip", "link", "add", "br0", "type", "bridge");
        host.execOk("sysctl", "-qw", "net.ipv6.conf.br0.accept_ra=0");
        host.execOk("ip", "-6", "addr", "add", "fd42::1/64", "dev", "br0", "nodad");
        host.execOk("ip", "link", "set", "br0", "up");
        host.veth("vg", guest, "eth0");
        host.execOk("ip", "link", "set", "vg", "master", "br0");
        guest.execOk("sysctl", "-qw", "net.ipv6.conf.eth0.accept_ra=1");
        guest.execOk("sysctl", "-qw", "net.ipv6.conf.eth0.autoconf=1");
        host.awaitIpv6Settled(WAIT);
        guest.awaitIpv6Settled(WAIT);
        inHost = track(NetnsExecutor.enter(host));
    }

    @AfterEach
    void teardown() throws Exception {
        if (service != null) {
            inHost.run(() -> service.stop(false));
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        cleanup.add(c);
        return c;
    }

    private static RaConfig config(boolean stateful) throws Exception {
        return new RaConfig("br0", stateful, stateful, 1800,
                List.of(new NdpOption.PrefixInformation(IpPrefix.parse("fd42::/64"), true, !stateful, 3600, 3600)),
                List.of((Inet6Address) InetAddress.getByName("fd42::1")), 3600, OptionalLong.of(1400), RaTiming.DEFAULT);
    }

    private void start(RaConfig config) {
        service = new RaService(config);
        inHost.run(service::start);
    }

    private String bridgeLinkLocal() {
        Matcher m = Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64").matcher(host.execOk("ip", "-6", "addr", "show", "dev", "br0", "scope", "link"));
        assertTrue(m.find(), "br0 has a link-local address");
        return m.group(1);
    }

    private String rdisc6() {
        // -1: stop at the first answer; -r/-w bound the tries and the wait
        return guest.execOk("rdisc6", "-1", "-r", "3", "-w", "2000", "eth0").replaceAll("[ \t]+", " ");
    }

    @Test
    void guestKernelFormsItsSlaacAddressAndRoutesThroughTheBridge() throws Exception {
        start(config(false));
        String gw = bridgeLinkLocal();
        String addr = Await.value(WAIT, "a SLAAC address in fd42::/64 on the guest", () -> {
            Matcher m = Pattern.compile("inet6 (fd42::[0-9a-f:]+)/64 scope global").matcher(
                    guest.execOk("ip", "-6", "addr", "show", "dev", "eth0"));
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        });
        String mac = guest.execOk("cat", "/sys/class/net/eth0/address").trim();
        assertEquals(eui64("fd42::", mac), InetAddress.getByName(addr), "the address is the prefix and the guest's EUI-64");
        Await.until(WAIT, "a default route via " + gw, () -> guest.execOk("ip", "-6", "route", "show", "default")
                .contains("via " + gw + " dev eth0 proto ra"));
        Await.until(WAIT, "the advertised MTU", () -> guest.execOk("cat", "/proc/sys/net/ipv6/conf/eth0/mtu").trim().equals("1400"));

        String out = rdisc6();
        assertTrue(out.contains("Stateful address conf. : No"), out);
        assertTrue(out.contains("Stateful other conf. : No"), out);
        assertTrue(out.contains("Router lifetime : 1800"), out);
        assertTrue(out.contains("Prefix : fd42::/64"), out);
        assertTrue(out.contains("On-link : Yes"), out);
        assertTrue(out.contains("Autonomous address conf.: Yes"), out);
        assertTrue(out.contains("Recursive DNS server : fd42::1"), out);
        assertTrue(out.contains("MTU : 1400 bytes"), out);
        assertTrue(out.contains("from " + gw), out);
        String bridgeMac = host.execOk("cat", "/sys/class/net/br0/address").trim();
        assertTrue(out.contains("Source link-layer address: " + bridgeMac.toUpperCase())
                || out.contains("Source link-layer address: " + bridgeMac), out);
        assertTrue(service.stats().solicitationsAnswered() >= 1, "rdisc6's solicitation was counted: " + service.stats());

        inHost.run(() -> service.stop(true));
        service = null;
        Await.until(WAIT, "the default route withdrawn by the final advertisement",
                () -> !guest.execOk("ip", "-6", "route", "show", "default").contains("via " + gw));
    }

    @Test
    void managedNetworkSendsGuestsToDhcpv6AndFormsNoAddress() throws Exception {
        start(config(true));
        String out = rdisc6();
        assertTrue(out.contains("Stateful address conf. : Yes"), out);
        assertTrue(out.contains("Stateful other conf. : Yes"), out);
        assertTrue(out.contains("Autonomous address conf.: No"), out);
        String gw = bridgeLinkLocal();
        Await.until(WAIT, "a default route via " + gw, () -> guest.execOk("ip", "-6", "route", "show", "default")
                .contains("via " + gw));
        assertFalse(guest.execOk("ip", "-6", "addr", "show", "dev", "eth0", "scope", "global").contains("fd42::"),
                "no autonomous flag: the guest's kernel forms no address");
    }

    @Test
    void malformedAndOffLinkSolicitationsAreDroppedAndTheServiceKeepsAnswering() throws Exception {
        start(config(false));
        // hop limit 64: not from on-link as far as RFC 4861 is concerned (rdisc6 sends 255)
        guest.execOk("python3", "-c", String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)",
                "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 64)",
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'eth0')",
                "idx = socket.if_nametoindex('eth0')",
                "s.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ('ff02::2', 0, 0, idx))",
                "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)",
                "for i in range(200):",
                "    s.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0, 1, 0, i, 1]), ('ff02::2', 0, 0, idx))"));
        Await.until(WAIT, "201 dropped datagrams counted", () -> service.stats().dropped() >= 201);
        assertTrue(rdisc6().contains("Prefix : fd42::/64"), "still answering");
    }

    /** The SLAAC address of {@code mac} in a /64 (RFC 4291 appendix A). */
    static InetAddress eui64(String prefix, String mac) throws Exception {
        String[] o = mac.split(":");
        int first = Integer.parseInt(o[0], 16) ^ 0x02;
        return InetAddress.getByName(String.format("%s%02x%s:%sff:fe%s:%s%s", prefix, first, o[1], o[2], o[3], o[4], o[5]));
    }
}
