package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.daemon.dhcp.DhcpNetnsFixture.ip;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.testing.Await;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.dhcp.DhcpClientDriver;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Dhclient;
import org.vnetd.testing.dhcp.Dhcpcd;
import org.vnetd.testing.dhcp.Udhcpc;

/** Real clients (dhclient, udhcpc with and without -B, dhcpcd) against the real server in namespaces. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhcpClientsNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** dhcpcd refuses leases under 20 s; T1 is then 10 s. */
    private static final Duration SHORT_LEASE = Duration.ofSeconds(20);
    private DhcpNetnsFixture fx;

    @BeforeAll
    void setUp() throws Exception {
        NetnsSupport.require("busybox", "dhclient", "dhcpcd");
        fx = new DhcpNetnsFixture("dhcp");
        fx.start(DhcpNetnsFixture.config(SHORT_LEASE));
    }

    @AfterAll
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private DhcpClientDriver driver(String kind, DhcpClientNs c, String hostname) {
        return switch (kind) {
            case "dhclient" -> new Dhclient(c, hostname);
            case "udhcpc" -> new Udhcpc(c, false, hostname);
            case "udhcpc-B" -> new Udhcpc(c, true, hostname);
            case "dhcpcd" -> new Dhcpcd(c, hostname, Dhcpcd.Family.V4);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private DhcpLease serverLease(String mac) {
        for (DhcpLease l : fx.service.leases()) {
            if (l.mac() != null && l.mac().toString().equals(mac)) {
                return l;
            }
        }
        return null;
    }

    private static void assertOptions(DhcpLeaseInfo info, String who) {
        assertEquals(DhcpNetnsFixture.SERVER, info.router(), who + " router");
        assertEquals(List.of(DhcpNetnsFixture.SERVER, "10.77.0.2"), info.dns(), who + " dns");
        assertEquals("vnet.test", info.domain(), who + " domain");
        assertEquals(1400, info.mtu(), who + " mtu");
        assertEquals("255.255.255.0", info.subnetMask() == null ? "255.255.255.0" : info.subnetMask(), who + " mask");
    }

    /** The client's hook configures the address just after reporting it: poll briefly. */
    private static boolean waitForAddress(DhcpClientNs c, String cidr) {
        try {
            Await.until(Duration.ofSeconds(5), Duration.ofMillis(50), cidr + " configured", () -> c.addresses().contains(cidr));
            return true;
        } catch (AssertionError notYet) {
            return false; // the caller asserts, naming the client
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dhclient", "udhcpc", "udhcpc-B", "dhcpcd"})
    void clientGetsAddressAndOptionsRenewsAndReleases(String kind) {
        DhcpClientNs c = fx.topo.addClient(null);
        try (DhcpClientDriver d = driver(kind, c, "guest-" + kind.replace("-B", "b"))) {
            d.start();
            DhcpLeaseInfo bound = d.awaitBound(WAIT);
            assertNotNull(bound.address(), kind + " got no address: " + bound.env());
            int ip = IpAddresses.toInt(ip(bound.address()));
            assertTrue(ip >= IpAddresses.toInt(ip("10.77.0.10")) && ip <= IpAddresses.toInt(ip("10.77.0.40")), bound.address());
            assertOptions(bound, kind);
            assertTrue(waitForAddress(c, bound.address() + "/24"), kind + " configured " + bound.address() + ": " + c.addresses());
            DhcpLease lease = serverLease(c.mac());
            assertNotNull(lease, "server has the lease of " + kind);
            assertEquals(bound.address(), lease.address().getHostAddress());

            DhcpLeaseInfo renewed = d instanceof Udhcpc u ? u.renewNow(WAIT) : d.awaitRenew(WAIT);
            assertEquals(bound.address(), renewed.address(), kind + " renewed to the same address");
            DhcpLease after = serverLease(c.mac());
            assertTrue(after.expiry().isAfter(lease.expiry()), "renewal extended the lease");

            d.release();
            assertEquals(null, serverLease(c.mac()), kind + " released its lease");
        }
    }

    @Test
    void staticHostGetsItsReservedAddress() {
        DhcpClientNs c = fx.topo.addClient(DhcpNetnsFixture.STATIC_MAC);
        try (Udhcpc d = new Udhcpc(c, false, "fixed")) {
            d.start();
            assertEquals(DhcpNetnsFixture.STATIC_IP, d.awaitBound(WAIT).address());
        }
        // every ACK that bound a lease went through a lease-log sync first
        assertTrue(fx.service.syncStats().syncs() > 0 && fx.service.syncStats().acks() >= fx.service.leases().size(),
                fx.service.syncStats().toString());
    }

    @Test
    void concurrentClientsNeverShareAnAddress() {
        List<DhcpClientDriver> drivers = new ArrayList<>();
        try {
            String[] kinds = {"dhclient", "udhcpc", "udhcpc-B", "dhcpcd", "udhcpc", "udhcpc-B"};
            for (String k : kinds) {
                DhcpClientDriver d = driver(k, fx.topo.addClient(null), null);
                drivers.add(d);
                d.start();
            }
            Set<String> seen = new HashSet<>();
            for (DhcpClientDriver d : drivers) {
                String a = d.awaitBound(WAIT).address();
                assertTrue(seen.add(a), "duplicate address " + a + " given to " + d.name());
            }
        } finally {
            drivers.forEach(DhcpClientDriver::close);
        }
    }

    @Test
    void malformedDatagramsAreCountedAndServingContinues() throws Exception {
        DhcpClientNs c = fx.topo.addClient(null);
        c.ns().execOk("ip", "addr", "add", "10.77.0.250/24", "dev", c.ifname());
        long before = fx.service.stats().malformed();
        byte[] good = DhcpCodec.encode(new org.vnetd.core.dhcp.DhcpMessage(1, 1, 6, 0, 7, 0, 0, org.vnetd.core.dhcp.DhcpMessage.ZERO,
                org.vnetd.core.dhcp.DhcpMessage.ZERO, org.vnetd.core.dhcp.DhcpMessage.ZERO, org.vnetd.core.dhcp.DhcpMessage.ZERO,
                new byte[6], null, null, org.vnetd.core.dhcp.DhcpOptions.builder().putByte(53, 1).build()));
        byte[] badCookie = good.clone();
        badCookie[237] = 0;
        byte[] pastEnd = Arrays.copyOf(good, 244);
        pastEnd[240] = 12;
        pastEnd[241] = (byte) 200;
        List<byte[]> bad = List.of(Arrays.copyOf(good, 100), badCookie, pastEnd, new byte[60_000], new byte[0]);
        try (NetnsExecutor clientThread = NetnsExecutor.enter(c.ns())) {
            clientThread.call(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("10.77.0.250", 0))) {
                    for (byte[] b : bad) {
                        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(DhcpNetnsFixture.SERVER, 67)));
                    }
                }
                return null;
            });
        }
        c.ns().execOk("ip", "addr", "flush", "dev", c.ifname());
        Await.until(Duration.ofSeconds(20), bad.size() + " malformed datagrams counted", // bound for a loaded machine
                () -> fx.service.stats().malformed() >= before + bad.size());
        assertEquals(before + bad.size(), fx.service.stats().malformed());
        try (Udhcpc d = new Udhcpc(c, false, null)) {
            d.start();
            assertNotNull(d.awaitBound(WAIT).address(), "still serving");
        }
    }

    @Test
    void poolExhaustionGivesNoOfferAndClientsKeepTheirs() throws Exception {
        DhcpConfig small = DhcpNetnsFixture.config(SHORT_LEASE)
                .withRanges(List.of(new DhcpConfig.Range(ip("10.77.0.100"), ip("10.77.0.101"), SHORT_LEASE)));
        fx.service.reconfigure(small);
        List<DhcpClientDriver> drivers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Udhcpc d = new Udhcpc(fx.topo.addClient(null), false, null);
                drivers.add(d);
                d.start();
                assertTrue(d.awaitBound(WAIT).address().startsWith("10.77.0.10"));
            }
            long exhaustedBefore = fx.service.stats().ignored(Decision.IgnoreReason.POOL_EXHAUSTED);
            Udhcpc third = new Udhcpc(fx.topo.addClient(null), false, null);
            drivers.add(third);
            third.start();
            // wait for the server's refusals themselves rather than a fixed time (a loaded machine may take
            // longer than 3 s to start udhcpc): two refused discovers (udhcpc -T 1 retries after a second
            // without an offer), then the client's log must show it obtained nothing in between
            Await.until(Duration.ofSeconds(20), Duration.ofMillis(50), "no offer was made, twice",
                    () -> fx.service.stats().ignored(Decision.IgnoreReason.POOL_EXHAUSTED) >= exhaustedBefore + 2);
            assertTrue(third.log().contains("discover"), third.log());
            assertTrue(!third.log().contains("obtained"), "third client got nothing: " + third.log());
        } finally {
            drivers.forEach(DhcpClientDriver::close);
            fx.service.reconfigure(DhcpNetnsFixture.config(SHORT_LEASE));
        }
    }
}
