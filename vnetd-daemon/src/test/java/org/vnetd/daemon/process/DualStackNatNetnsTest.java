package org.vnetd.daemon.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Udhcpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dual-stack acceptance through the daemon, with each firewall backend: a NAT network with an
 * IPv6 {@code <ip>} (routed, as libvirt does for IPv6 on a NAT network). A guest takes its IPv4 address
 * from vnetd's DHCP (busybox {@code udhcpc}) and its IPv6 address from vnetd's DHCPv6 (busybox
 * {@code udhcpc6}), its IPv6 default route from vnetd's advertisements (the kernel, {@code accept_ra=1}).
 * An upstream host on the uplink sees the guest's IPv4 connections from the uplink's address (masquerade)
 * and its IPv6 connections from the guest's own address (routed; the upstream has a route back), and
 * may open IPv6 connections to the guest but not IPv4 ones.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DualStackNatNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UPLINK4 = "203.0.113.1";
    private static final String UPSTREAM4 = "203.0.113.2";
    private static final String UPLINK6 = "2001:db8:f00::1";
    private static final String UPSTREAM6 = "2001:db8:f00::2";
    private static final String GUEST_MAC = "52:54:00:d5:00:01";
    private static final String XML = """
            <network>
              <name>dual</name>
              <forward mode='nat'/>
              <bridge name='vbr-dual' stp='off'/>
              <ip address='192.168.150.1' prefix='24'>
                <dhcp>
                  <range start='192.168.150.10' end='192.168.150.99'/>
                </dhcp>
              </ip>
              <ip family='ipv6' address='2001:db8:ca2::1' prefix='64'>
                <dhcp>
                  <range start='2001:db8:ca2::100' end='2001:db8:ca2::1ff'/>
                </dhcp>
              </ip>
            </network>""";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"nftables", "iptables"})
    void aGuestReachesUpstreamOverIpv4NatAndRoutedIpv6(String backend) throws Exception {
        NetnsSupport.require(backend.equals("nftables") ? "nft" : "iptables-restore", "busybox", Udhcpc.BUSYBOX_UDHCPC6.toString());
        try (TestNetns host = TestNetns.create("dshost"); TestNetns upstream = TestNetns.create("dsup");
                TestNetns guest = TestNetns.create("dsguest");
                DaemonProcess d = new DaemonProcess(host, dir.resolve("daemon"))) {
            Files.createDirectories(d.configDir());
            Files.writeString(d.configDir().resolve("vnetd.conf"), "firewall_backend = " + backend + "\n");
            // upstream: a host on the uplink that knows nothing of 192.168.150.0/24, and routes the guests' IPv6 prefix back
            host.veth("up0", upstream, "eth0");
            host.execOk("ip", "addr", "add", UPLINK4 + "/24", "dev", "up0");
            host.execOk("ip", "-6", "addr", "add", UPLINK6 + "/64", "dev", "up0", "nodad");
            upstream.execOk("ip", "addr", "add", UPSTREAM4 + "/24", "dev", "eth0");
            upstream.execOk("ip", "-6", "addr", "add", UPSTREAM6 + "/64", "dev", "eth0", "nodad");
            upstream.execOk("ip", "-6", "route", "add", "2001:db8:ca2::/64", "via", UPLINK6);

            d.start("--no-default-network");
            assertTrue(d.log().contains("firewall backend: " + backend), "the daemon runs the " + backend + " backend:\n" + d.log());
            d.call("network.define", Map.of("xml", XML));
            d.call("network.start", Map.of("network", "dual"));

            host.execOk("ip", "link", "add", "vg1", "type", "veth", "peer", "name", "eth0", "netns", guest.name());
            host.execOk("ip", "link", "set", "vg1", "master", "vbr-dual", "up");
            guest.execOk("sysctl", "-qw", "net.ipv6.conf.eth0.accept_ra=1");
            guest.execOk("ip", "link", "set", "eth0", "address", GUEST_MAC, "up");
            Await.until(WAIT, "the guest's link-local address", () -> guest.execOk("ip", "-6", "addr", "show", "dev", "eth0",
                    "scope", "link", "-tentative").contains("inet6 fe80::"));

            DhcpClientNs nic = new DhcpClientNs(guest, "eth0", GUEST_MAC);
            try (Udhcpc v4 = new Udhcpc(nic, false, null); Udhcpc v6 = new Udhcpc(nic, false, null, Udhcpc.Family.V6)) {
                v4.start();
                DhcpLeaseInfo lease4 = v4.awaitBound(WAIT);
                assertTrue(lease4.address().startsWith("192.168.150."), "a DHCPv4 address from the range: " + lease4);
                assertEquals("192.168.150.1", lease4.router(), "the network's router: " + lease4);
                guest.execOk("ip", "route", "replace", "default", "via", lease4.router());

                v6.start();
                DhcpLeaseInfo lease6 = v6.awaitBound(WAIT);
                String guest6 = InetAddress.getByName(lease6.address()).getHostAddress();
                assertTrue(guest6.startsWith("2001:db8:ca2:0:0:0:0:1"), "a DHCPv6 address from the range: " + guest6);
                // the default route the advertisement gives (NAT: router lifetime 1800), via the bridge's link-local address
                Await.until(WAIT, "an IPv6 default route from the advertisement", () -> guest.execOk("ip", "-6", "route", "show",
                        "default").contains("via fe80::"));
                // the bridge forwards from its link-local address: it must have left duplicate address detection
                host.awaitIpv6Settled(WAIT);
                guest.awaitIpv6Settled(WAIT);

                JsonNode leases = d.call("network.dhcpLeases", Map.of("network", "dual", "mac", GUEST_MAC));
                assertEquals(Map.of("ipv4", lease4.address(), "ipv6", guest6), byProtocol(leases), leases.toString());

                try (NetnsExecutor inGuest = NetnsExecutor.enter(guest); NetnsExecutor inUpstream = NetnsExecutor.enter(upstream)) {
                    assertEquals(InetAddress.getByName(UPLINK4), Await.value(WAIT, Duration.ofMillis(500),
                            "a connection to upstream over IPv4", () -> connect(inGuest, inUpstream, UPSTREAM4, 8040)),
                            "IPv4 is masqueraded: upstream sees the uplink's address");
                    assertEquals(InetAddress.getByName(guest6), Await.value(WAIT, Duration.ofMillis(500),
                            "a connection to upstream over IPv6", () -> connect(inGuest, inUpstream, UPSTREAM6, 8060)),
                            "IPv6 is routed: upstream sees the guest's own address");
                    assertEquals(Optional.of(InetAddress.getByName(UPSTREAM6)), connect(inUpstream, inGuest, guest6, 9060),
                            "routed IPv6 takes connections from upstream");
                    assertEquals(Optional.empty(), connect(inUpstream, inGuest, lease4.address(), 9040),
                            "no IPv4 connection from upstream to a NAT guest");
                }
            }
        }
    }

    private static Map<String, String> byProtocol(JsonNode leases) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode l : leases) {
            out.put(l.path("protocol").asText(), InetAddress.getByName(l.path("ipAddress").asText()).getHostAddress());
        }
        return out;
    }

    /**
     * Opens a TCP connection from {@code from} to a listener on {@code toAddr} in {@code to}; the source
     * address the listener saw, or empty when the connection was refused or timed out.
     */
    private static Optional<InetAddress> connect(NetnsExecutor from, NetnsExecutor to, String toAddr, int port) throws IOException {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(toAddr), port);
        try (ServerSocket listener = to.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(target);
            return s;
        })) {
            Socket client = from.call(() -> {
                Socket s = new Socket();
                try {
                    s.connect(target, 2000);
                    return s;
                } catch (IOException e) {
                    s.close();
                    return null;
                }
            });
            if (client == null) {
                return Optional.empty();
            }
            try (client) {
                listener.setSoTimeout(3000);
                try (Socket accepted = listener.accept()) {
                    return Optional.of(accepted.getInetAddress());
                }
            }
        }
    }
}
