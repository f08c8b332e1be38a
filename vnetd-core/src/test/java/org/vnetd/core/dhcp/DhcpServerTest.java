package org.vnetd.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.core.dhcp.Msg.ip;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.Decision.IgnoreReason;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

class DhcpServerTest {
    private static final String SERVER = "10.0.0.1";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String STATIC_MAC = "52:54:00:00:00:99";

    private final List<LeaseChange> changes = new ArrayList<>();
    private DhcpConfig config;
    private DhcpServer server;

    @BeforeEach
    void setUp() {
        config = DhcpConfig.simple("virbr9", IpPrefix.parse(SERVER + "/24"), ip("10.0.0.10"), ip("10.0.0.20"))
                .withOptions(ip(SERVER), List.of(ip(SERVER), ip("10.0.0.2")), "example.test", 1400)
                .withHosts(List.of(new DhcpConfig.StaticHost(MacAddress.parse(STATIC_MAC), "fixed", ip("10.0.0.5"))));
        server = new DhcpServer(config, List.of(), changes::add);
    }

    private Decision.Offer offer(Msg m) {
        return assertInstanceOf(Decision.Offer.class, server.handle(m.build(), T0));
    }

    private Decision.Ack bindClient(String mac) {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER).mac(mac));
        String yi = o.reply().yiaddr().getHostAddress();
        return assertInstanceOf(Decision.Ack.class,
                server.handle(Msg.of(DhcpMessageType.REQUEST).mac(mac).serverId(SERVER).requested(yi).build(), T0));
    }

    @Test
    void theLeaseStoreReadsCountAndViewWithoutWaitingForTheServersLock() throws Exception {
        bindClient("52:54:00:00:00:01");
        bindClient("52:54:00:00:00:02");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().start(() -> {
            synchronized (server) { // as the transport holds it while it answers a client
                held.countDown();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            assertTrue(held.await(5, TimeUnit.SECONDS));
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                assertEquals(2, server.leaseCount());
                Set<String> seen = new HashSet<>();
                server.leasesView().forEach(l -> seen.add(l.mac().toString()));
                assertEquals(Set.of("52:54:00:00:00:01", "52:54:00:00:00:02"), seen);
            });
        } finally {
            done.countDown();
            busy.join(10_000);
        }
    }

    @Test
    void theLeasesViewFollowsBindsAndReleases() {
        var view = server.leasesView();
        assertTrue(view.isEmpty());
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        assertEquals(List.of(a.lease()), List.copyOf(view), "a live view, not a copy");
        server.handle(Msg.of(DhcpMessageType.RELEASE).mac("52:54:00:00:00:01").serverId(SERVER)
                .ciaddr(a.lease().address().getHostAddress()).build(), T0);
        assertTrue(view.isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> view.add(a.lease()));
    }

    @Test
    void discoverGetsOfferWithOptionsInRequestedOrder() {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER).prl(26, 15, 6, 3, 1));
        DhcpMessage r = o.reply();
        assertEquals(DhcpMessageType.OFFER, r.messageType());
        assertEquals(DhcpMessage.BOOTREPLY, r.op());
        assertEquals(0x1234, r.xid());
        assertTrue(config.ranges().get(0).contains(org.vnetd.core.net.IpAddresses.toInt(r.yiaddr())));
        assertEquals(ReplyTarget.Kind.BROADCAST, o.target().kind());
        List<Integer> codes = r.options().codes();
        assertEquals(List.of(53, 54, 51, 58, 59, 26, 15, 6, 3, 1), codes.subList(0, 10));
        assertEquals(ip(SERVER), r.serverId());
        assertEquals(3600, r.options().getInt(51));
        assertEquals(1800, r.options().getInt(58));
        assertEquals(3150, r.options().getInt(59));
        assertEquals(1400, r.options().getShort(26));
        assertEquals("example.test", r.options().getString(15));
        assertEquals(8, r.options().get(6).length);
        assertEquals(ip("255.255.255.0"), r.options().getAddress(1));
        assertTrue(changes.isEmpty(), "an offer is not a lease");
    }

    @Test
    void selectingRequestIsAckedAndReported() {
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        assertEquals(DhcpMessageType.ACK, a.reply().messageType());
        assertEquals(a.reply().yiaddr(), a.lease().address());
        assertEquals(T0.plus(Duration.ofHours(1)), a.lease().expiry());
        assertEquals(List.of(new LeaseChange(LeaseChange.Kind.BOUND, a.lease())), changes);
        assertEquals(List.of(a.lease()), server.leases());
    }

    @Test
    void requestForAnotherServerIsIgnoredAndReleasesTheOffer() {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER));
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).serverId("10.0.0.77")
                .requested(o.reply().yiaddr().getHostAddress()).build(), T0);
        assertEquals(IgnoreReason.NOT_FOR_US, assertInstanceOf(Decision.Ignore.class, d).reason());
        assertTrue(server.leases().isEmpty());
    }

    @Test
    void initRebootForForeignSubnetIsNaked() {
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).requested("192.168.1.50").build(), T0);
        Decision.Nak n = assertInstanceOf(Decision.Nak.class, d);
        assertEquals(DhcpMessageType.NAK, n.reply().messageType());
        assertEquals(ReplyTarget.Kind.BROADCAST, n.target().kind());
        assertTrue(n.why().contains("not on"), n.why());
    }

    @Test
    void initRebootForOwnAddressIsAcked() {
        String addr = bindClient("52:54:00:00:00:01").lease().address().getHostAddress();
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).requested(addr).build(), T0.plusSeconds(60));
        assertEquals(ip(addr), assertInstanceOf(Decision.Ack.class, d).lease().address());
    }

    @Test
    void addressOfAnotherClientIsNaked() {
        String addr = bindClient("52:54:00:00:00:01").lease().address().getHostAddress();
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).mac("52:54:00:00:00:02").requested(addr).build(), T0);
        assertTrue(assertInstanceOf(Decision.Nak.class, d).why().contains("in use"));
    }

    @Test
    void addressOutsideRangesIsNaked() {
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).requested("10.0.0.100").build(), T0);
        assertInstanceOf(Decision.Nak.class, d);
    }

    @Test
    void renewingIsAckedByUnicastAndExtendsTheLease() {
        Decision.Ack first = bindClient("52:54:00:00:00:01");
        String addr = first.lease().address().getHostAddress();
        Instant later = T0.plusSeconds(1800);
        Decision.Ack renew = assertInstanceOf(Decision.Ack.class,
                server.handle(Msg.of(DhcpMessageType.REQUEST).ciaddr(addr).build(), later));
        assertEquals(ReplyTarget.unicast(ip(addr)), renew.target());
        assertEquals(ip(addr), renew.reply().ciaddr());
        assertEquals(later.plus(Duration.ofHours(1)), renew.lease().expiry());
        assertEquals(2, changes.size());
    }

    @Test
    void rebindingForUnknownFreeAddressIsAckedAuthoritatively() {
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).broadcast().ciaddr("10.0.0.15").build(), T0);
        assertEquals(ip("10.0.0.15"), assertInstanceOf(Decision.Ack.class, d).lease().address());
    }

    @Test
    void releaseRemovesTheLease() {
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        Decision d = server.handle(Msg.of(DhcpMessageType.RELEASE).serverId(SERVER)
                .ciaddr(a.lease().address().getHostAddress()).build(), T0);
        assertEquals(IgnoreReason.RELEASED, assertInstanceOf(Decision.Ignore.class, d).reason());
        assertTrue(server.leases().isEmpty());
        assertEquals(LeaseChange.Kind.RELEASED, changes.get(changes.size() - 1).kind());
    }

    @Test
    void releaseByAnotherClientChangesNothing() {
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        Decision d = server.handle(Msg.of(DhcpMessageType.RELEASE).mac("52:54:00:00:00:02").serverId(SERVER)
                .ciaddr(a.lease().address().getHostAddress()).build(), T0);
        assertEquals(IgnoreReason.NO_BINDING, assertInstanceOf(Decision.Ignore.class, d).reason());
        assertEquals(1, server.leases().size());
    }

    @Test
    void returningClientGetsItsAddressBackAfterRelease() {
        Inet4Address first = bindClient("52:54:00:00:00:01").lease().address();
        server.handle(Msg.of(DhcpMessageType.RELEASE).serverId(SERVER).ciaddr(first.getHostAddress()).build(), T0);
        bindClient("52:54:00:00:00:02");
        assertEquals(first, bindClient("52:54:00:00:00:01").lease().address());
    }

    @Test
    void declineQuarantinesTheAddress() {
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        Inet4Address bad = a.lease().address();
        Decision d = server.handle(Msg.of(DhcpMessageType.DECLINE).serverId(SERVER)
                .requested(bad.getHostAddress()).build(), T0);
        assertEquals(IgnoreReason.DECLINED, assertInstanceOf(Decision.Ignore.class, d).reason());
        assertTrue(server.leases().isEmpty());
        Decision.Offer again = offer(Msg.of(DhcpMessageType.DISCOVER).requested(bad.getHostAddress()));
        assertNotEquals(bad, again.reply().yiaddr());
        assertInstanceOf(Decision.Nak.class, server.handle(Msg.of(DhcpMessageType.REQUEST).mac("52:54:00:00:00:03")
                .requested(bad.getHostAddress()).build(), T0.plusSeconds(1)));
        Decision later = server.handle(Msg.of(DhcpMessageType.REQUEST).mac("52:54:00:00:00:03")
                .requested(bad.getHostAddress()).build(), T0.plus(DhcpServer.DECLINE_QUARANTINE).plusSeconds(1));
        assertInstanceOf(Decision.Ack.class, later);
    }

    @Test
    void informGetsOptionsWithoutLease() {
        Decision d = server.handle(Msg.of(DhcpMessageType.INFORM).ciaddr("10.0.0.200").prl(6, 15).build(), T0);
        Decision.Ack a = assertInstanceOf(Decision.Ack.class, d);
        assertNull(a.lease());
        assertEquals(DhcpMessage.ZERO, a.reply().yiaddr());
        assertEquals(-1, a.reply().options().getInt(51));
        assertEquals(ReplyTarget.unicast(ip("10.0.0.200")), a.target());
        assertTrue(changes.isEmpty());
    }

    @Test
    void staticHostGetsReservedAddressAndNobodyElseDoes() {
        Decision.Ack a = bindClient(STATIC_MAC);
        assertEquals(ip("10.0.0.5"), a.lease().address());
        assertInstanceOf(Decision.Nak.class, server.handle(Msg.of(DhcpMessageType.REQUEST).mac("52:54:00:00:00:01")
                .requested("10.0.0.5").build(), T0));
        assertInstanceOf(Decision.Nak.class, server.handle(Msg.of(DhcpMessageType.REQUEST).mac(STATIC_MAC)
                .requested("10.0.0.12").build(), T0));
    }

    @Test
    void staticAddressInsideARangeIsNeverOffered() {
        server.reconfigure(config.withHosts(List.of(new DhcpConfig.StaticHost(MacAddress.parse(STATIC_MAC), "f", ip("10.0.0.12")))));
        for (int i = 0; i < 10; i++) {
            Decision.Ack a = bindClient(String.format("52:54:00:00:01:%02x", i));
            assertNotEquals(ip("10.0.0.12"), a.lease().address());
        }
        assertInstanceOf(Decision.Ignore.class, server.handle(Msg.of(DhcpMessageType.DISCOVER).mac("52:54:00:00:02:00").build(), T0));
    }

    @Test
    void noDuplicateAddressesAndExhaustionGivesNoOffer() {
        Set<Inet4Address> seen = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            Decision.Ack a = bindClient(String.format("52:54:00:00:01:%02x", i));
            assertTrue(seen.add(a.lease().address()), "duplicate " + a.lease().address());
        }
        Decision d = server.handle(Msg.of(DhcpMessageType.DISCOVER).mac("52:54:00:00:02:00").build(), T0);
        assertEquals(IgnoreReason.POOL_EXHAUSTED, assertInstanceOf(Decision.Ignore.class, d).reason());
        assertEquals(1, server.stats().ignored(IgnoreReason.POOL_EXHAUSTED));
    }

    @Test
    void expiredLeasesFreeTheirAddressAndAreReaped() {
        for (int i = 0; i < 11; i++) {
            bindClient(String.format("52:54:00:00:01:%02x", i));
        }
        Instant later = T0.plus(Duration.ofHours(2));
        assertInstanceOf(Decision.Offer.class, server.handle(Msg.of(DhcpMessageType.DISCOVER).mac("52:54:00:00:02:00").build(), later));
        assertEquals(11, server.reapExpired(later).size());
        assertTrue(server.leases().isEmpty());
        assertEquals(LeaseChange.Kind.EXPIRED, changes.get(changes.size() - 1).kind());
    }

    @Test
    void concurrentOffersNeverShareAnAddress() {
        Set<Inet4Address> offered = new HashSet<>();
        for (int i = 0; i < 11; i++) {
            assertTrue(offered.add(offer(Msg.of(DhcpMessageType.DISCOVER).mac(String.format("52:54:00:00:03:%02x", i))).reply().yiaddr()));
        }
    }

    @Test
    void relayedRequestIsAnsweredToTheRelay() {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER).giaddr("10.0.0.254"));
        assertEquals(ReplyTarget.relay(ip("10.0.0.254")), o.target());
        assertEquals(ip("10.0.0.254"), o.reply().giaddr());
        Decision foreign = server.handle(Msg.of(DhcpMessageType.DISCOVER).giaddr("172.16.0.1").build(), T0);
        assertEquals(IgnoreReason.NOT_FOR_US, assertInstanceOf(Decision.Ignore.class, foreign).reason());
        Decision nak = server.handle(Msg.of(DhcpMessageType.REQUEST).giaddr("10.0.0.254").requested("10.0.0.100").build(), T0);
        Decision.Nak n = assertInstanceOf(Decision.Nak.class, nak);
        assertTrue(n.reply().broadcastFlag(), "a relayed NAK asks the relay to broadcast");
        assertEquals(ReplyTarget.Kind.RELAY, n.target().kind());
    }

    @Test
    void infiniteLeaseTime() {
        server.reconfigure(config.withDefaultLeaseTime(DhcpConfig.INFINITE));
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        assertNull(a.lease().expiry());
        assertEquals(0xFFFF_FFFFL, a.reply().options().getInt(51));
        assertEquals(-1, a.reply().options().getInt(58));
        assertTrue(server.reapExpired(T0.plus(Duration.ofDays(10000))).isEmpty());
    }

    @Test
    void perRangeAndPerHostLeaseTimes() {
        server.reconfigure(config.withRanges(List.of(new DhcpConfig.Range(ip("10.0.0.10"), ip("10.0.0.20"), Duration.ofMinutes(5))))
                .withHosts(List.of(new DhcpConfig.StaticHost(MacAddress.parse(STATIC_MAC), null, "f", ip("10.0.0.5"), Duration.ofDays(1)))));
        assertEquals(300, bindClient("52:54:00:00:00:01").reply().options().getInt(51));
        assertEquals(86400, bindClient(STATIC_MAC).reply().options().getInt(51));
    }

    @Test
    void reconfigureKeepsLeasesAndEvictsOnlyDisplacedOnes() {
        Decision.Ack a = bindClient("52:54:00:00:00:01");
        Decision.Ack b = bindClient("52:54:00:00:00:02");
        server.reconfigure(config.withHosts(List.of(new DhcpConfig.StaticHost(MacAddress.parse(STATIC_MAC), "f", b.lease().address()))));
        assertEquals(List.of(a.lease()), server.leases());
        assertEquals(b.lease().address(), bindClient(STATIC_MAC).lease().address());
    }

    @Test
    void clientIdOptionIsTheLeaseKey() {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER).clientId(0xff, 0, 0, 0, 1));
        String yi = o.reply().yiaddr().getHostAddress();
        Decision.Ack a = assertInstanceOf(Decision.Ack.class, server.handle(Msg.of(DhcpMessageType.REQUEST)
                .clientId(0xff, 0, 0, 0, 1).serverId(SERVER).requested(yi).hostname("vm-a").build(), T0));
        assertEquals("ff:00:00:00:01", a.lease().clientId().toString());
        assertEquals("vm-a", a.lease().hostname());
        // same MAC, other client id: a different client
        Decision d = server.handle(Msg.of(DhcpMessageType.REQUEST).clientId(0xff, 0, 0, 0, 2).requested(yi).build(), T0);
        assertInstanceOf(Decision.Nak.class, d);
    }

    @Test
    void invalidHostnameIsNotStored() {
        Decision.Offer o = offer(Msg.of(DhcpMessageType.DISCOVER));
        Decision.Ack a = assertInstanceOf(Decision.Ack.class, server.handle(Msg.of(DhcpMessageType.REQUEST)
                .serverId(SERVER).requested(o.reply().yiaddr().getHostAddress()).hostname("bad name;rm").build(), T0));
        assertNull(a.lease().hostname());
    }

    @Test
    void serverMessagesAndBootpAreIgnored() {
        assertEquals(IgnoreReason.UNSUPPORTED_TYPE, assertInstanceOf(Decision.Ignore.class,
                server.handle(Msg.of(DhcpMessageType.OFFER).build(), T0)).reason());
        assertEquals(IgnoreReason.MALFORMED, assertInstanceOf(Decision.Ignore.class,
                server.handle(Msg.of(DhcpMessageType.DISCOVER).op(2).build(), T0)).reason());
    }

    @Test
    void initialLeasesAreRestoredAndHonoured() {
        DhcpLease l = new DhcpLease(ip("10.0.0.14"), ClientId.ofMac(MacAddress.parse("52:54:00:00:00:01")),
                MacAddress.parse("52:54:00:00:00:01"), "old", T0.plusSeconds(100));
        DhcpServer s = new DhcpServer(config, List.of(l), LeaseListener.NONE);
        Decision.Offer o = assertInstanceOf(Decision.Offer.class, s.handle(Msg.of(DhcpMessageType.DISCOVER).build(), T0));
        assertEquals(ip("10.0.0.14"), o.reply().yiaddr());
        assertInstanceOf(Decision.Nak.class, s.handle(Msg.of(DhcpMessageType.REQUEST).mac("52:54:00:00:00:07")
                .requested("10.0.0.14").build(), T0));
    }

    @Test
    void pxeBootFields() {
        server.reconfigure(config.withBoot(new DhcpConfig.Bootp("pxelinux.0", ip("10.0.0.3")), null));
        DhcpMessage r = offer(Msg.of(DhcpMessageType.DISCOVER).prl(66, 67)).reply();
        assertEquals(ip("10.0.0.3"), r.siaddr());
        assertEquals("pxelinux.0", new String(r.file(), 0, 10, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("pxelinux.0", r.options().getString(67));
    }
}
