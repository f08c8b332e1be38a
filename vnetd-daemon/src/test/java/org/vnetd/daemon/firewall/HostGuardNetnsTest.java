package org.vnetd.daemon.firewall;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.FirewallPlanner;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * Issue 25's defence in depth, with real packets in both backends: DNS and DHCP addressed to network
 * A's own addresses are dropped unless they come in through A's bridge or from the host itself. The
 * listeners here are plain sockets bound to A's address with no interface check, so only the firewall
 * decides; before the rules are applied the upstream machine reaches them (the test can fail).
 */
class HostGuardNetnsTest {
    private static final String A4 = "192.168.100.1";
    private static final String A6 = "2001:db8:100::1";

    private final FirewallPlanner planner = new FirewallPlanner();
    private final Map<TestNetns, NetnsExecutor> executors = new HashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"nft", "iptables"})
    void servicesOfANetworkAnswerOnlyItsBridgeAndTheHost(String backendName) throws Exception {
        NetnsSupport.require(backendName.equals("nft") ? "nft" : "iptables-restore");
        try (FirewallTopology t = new FirewallTopology(2)) {
            t.enableIpv6();
            TestNetns ownGuest = t.guests.get(0);
            TestNetns otherGuest = t.guests.get(1);
            assertTrue(udpReaches(t, t.upstream, A4, 53), "precondition: without the rules the LAN reaches A's DNS port");

            FirewallBackend backend = backendName.equals("nft") ? new NftablesBackend(t.hostRunner) : new IptablesBackend(t.hostRunner);
            List<FirewallPlan> plans = List.of(planner.plan(FirewallTopology.dualStack(0, false)),
                    planner.plan(FirewallTopology.dualStack(1, false)));
            backend.update(List.of(), plans);
            for (FirewallPlan p : plans) {
                // nft's drift check lists the guard's map elements as it keys them (iptables has no drift check)
                assertTrue(backend instanceof IptablesBackend || backend.inPlace(p), "the drift check finds " + p.network() + " as applied");
            }

            assertTrue(udpReaches(t, ownGuest, A4, 53), "A's guest, DNS over UDP");
            assertTrue(tcpReaches(t, ownGuest, A4, 53), "A's guest, DNS over TCP");
            assertTrue(udpReaches(t, ownGuest, A4, 67), "A's guest, DHCP to the server's address (renewal)");
            assertTrue(tcpReaches(t, ownGuest, A6, 53), "A's guest, DNS over TCP, IPv6");
            assertTrue(udpReaches(t, t.host, A4, 53), "the host itself (lo)");
            assertTrue(tcpReaches(t, t.host, A6, 53), "the host itself (lo), IPv6");

            assertFalse(udpReaches(t, t.upstream, A4, 53), "the LAN, DNS over UDP");
            assertFalse(tcpReaches(t, t.upstream, A4, 53), "the LAN, DNS over TCP");
            assertFalse(udpReaches(t, t.upstream, A4, 67), "the LAN, DHCP");
            assertFalse(udpReaches(t, t.upstream, A6, 53), "the LAN, DNS over UDP, IPv6");
            assertFalse(udpReaches(t, otherGuest, A4, 53), "B's guest, DNS over UDP");
            assertFalse(tcpReaches(t, otherGuest, A4, 53), "B's guest, DNS over TCP");
            assertFalse(udpReaches(t, otherGuest, A6, 53), "B's guest, DNS over UDP, IPv6");
            // B's guest still reaches B's own DNS address: the drops are per network
            assertTrue(udpReaches(t, otherGuest, "192.168.101.1", 53), "B's guest, B's DNS");

            backend.update(plans, List.of());
            assertTrue(udpReaches(t, t.upstream, A4, 53), "removing the networks removes their guards");
        } finally {
            executors.values().forEach(NetnsExecutor::close);
            executors.clear();
        }
    }

    private NetnsExecutor in(TestNetns ns) {
        return executors.computeIfAbsent(ns, NetnsExecutor::enter);
    }

    /** Whether one datagram from {@code from} reaches a socket on {@code to}:{@code port} in the host. */
    private boolean udpReaches(FirewallTopology t, TestNetns from, String to, int port) throws Exception {
        InetAddress addr = InetAddress.getByName(to);
        try (DatagramSocket server = in(t.host).call(() -> new DatagramSocket(new InetSocketAddress(addr, port)))) {
            server.setSoTimeout(1000);
            in(from).run(() -> {
                try (DatagramSocket c = new DatagramSocket()) {
                    byte[] b = "probe".getBytes();
                    c.send(new DatagramPacket(b, b.length, addr, port));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                server.receive(new DatagramPacket(new byte[64], 64));
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    /** Whether a TCP connection from {@code from} to {@code to}:{@code port} in the host is accepted (bounded: 2 s). */
    private static boolean tcpReaches(FirewallTopology t, TestNetns from, String to, int port) throws IOException {
        return t.connect(from, t.host, to, port).isPresent();
    }
}
