package org.vnetd.core.dhcp6;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpPrefix;

class Dhcp6ServerTest {
    static final Duid SERVER = Duid.parse("00:03:00:01:52:54:00:12:34:56");
    static final Duid OTHER_SERVER = Duid.parse("00:03:00:01:52:54:00:99:99:99");
    static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    static Dhcp6Config config(String start, String end, List<Dhcp6Config.Host> hosts) throws Exception {
        return new Dhcp6Config("virbr0", SERVER, IpPrefix.parse("fd00::1/64"),
                List.of(new Dhcp6Config.Range(Dhcp6CodecTest.v6(start), Dhcp6CodecTest.v6(end), null)), hosts,
                List.of(Dhcp6CodecTest.v6("fd00::1")), List.of("example.com"), Dhcp6Config.DEFAULT_LEASE);
    }

    static Duid client(int n) {
        return Duid.parse(String.format("00:01:00:01:2a:2b:2c:2d:52:54:00:00:00:%02x", n));
    }

    static Dhcp6Message msg(Dhcp6MessageType type, Duid client, Duid server, Dhcp6Option... extra) {
        List<Dhcp6Option> o = new ArrayList<>();
        if (client != null) {
            o.add(new Dhcp6Option.ClientId(client));
        }
        if (server != null) {
            o.add(new Dhcp6Option.ServerId(server));
        }
        o.addAll(List.of(extra));
        return new Dhcp6Message(type, 0x123456, o);
    }

    static Dhcp6Option.IaNa ia(long iaid, Inet6Address... addrs) {
        List<Dhcp6Option> a = new ArrayList<>();
        for (Inet6Address x : addrs) {
            a.add(new Dhcp6Option.IaAddress(x, 0, 0, List.of()));
        }
        return new Dhcp6Option.IaNa(iaid, 0, 0, a);
    }

    static Dhcp6Decision.Answer answer(Dhcp6Decision d) {
        return assertInstanceOf(Dhcp6Decision.Answer.class, d);
    }

    static Inet6Address addressOf(Dhcp6Message m) {
        return m.option(Dhcp6Option.IaNa.class).orElseThrow().addresses().get(0).address();
    }

    static int status(Dhcp6Message m) {
        return m.option(Dhcp6Option.StatusCode.class).orElseThrow().status();
    }

    static int iaStatus(Dhcp6Message m) {
        return m.option(Dhcp6Option.IaNa.class).orElseThrow().options().stream().filter(o -> o instanceof Dhcp6Option.StatusCode)
                .map(o -> ((Dhcp6Option.StatusCode) o).status()).findFirst().orElseThrow();
    }

    @Test
    void solicitAdvertisesWithoutBindingThenRequestBindsTheSameAddress() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::1ff", List.of()));
        var adv = answer(s.handle(msg(Dhcp6MessageType.SOLICIT, client(1), null, ia(7)), T0));
        assertEquals(Dhcp6MessageType.ADVERTISE, adv.message().type());
        assertEquals(0x123456, adv.message().transactionId());
        assertEquals(SERVER, adv.message().serverId().orElseThrow());
        assertEquals(client(1), adv.message().clientId().orElseThrow());
        assertEquals(List.of(Dhcp6CodecTest.v6("fd00::1")), adv.message().option(Dhcp6Option.DnsServers.class).orElseThrow().servers());
        assertEquals(List.of("example.com"), adv.message().option(Dhcp6Option.DomainList.class).orElseThrow().domains());
        assertTrue(!adv.changesLeases() && s.leases().isEmpty(), "an ADVERTISE binds nothing");
        Inet6Address offered = addressOf(adv.message());

        var reply = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(1), SERVER, ia(7, offered)), T0));
        assertEquals(Dhcp6MessageType.REPLY, reply.message().type());
        assertEquals(offered, addressOf(reply.message()));
        Dhcp6Option.IaNa got = reply.message().option(Dhcp6Option.IaNa.class).orElseThrow();
        assertEquals(1800, got.t1());
        assertEquals(2880, got.t2());
        assertEquals(3600, got.addresses().get(0).validLifetime());
        assertEquals(List.of(new Dhcp6Lease(client(1), 7, offered, T0.plusSeconds(3600), null)), reply.bound());
        assertEquals(reply.bound(), s.leases());
    }

    @Test
    void rapidCommitRepliesAndBindsAtOnce() {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        var reply = answer(s.handle(msg(Dhcp6MessageType.SOLICIT, client(2), null, ia(1), new Dhcp6Option.RapidCommit()), T0));
        assertEquals(Dhcp6MessageType.REPLY, reply.message().type());
        assertTrue(reply.message().option(Dhcp6Option.RapidCommit.class).isPresent());
        assertEquals(1, reply.bound().size());
        assertEquals(1, s.leases().size());
    }

    @Test
    void messagesForAnotherServerOrWithoutClientAreIgnored() {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.REQUEST, client(1), OTHER_SERVER, ia(1)), T0));
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.REQUEST, client(1), null, ia(1)), T0));
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.SOLICIT, null, null, ia(1)), T0));
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.SOLICIT, client(1), SERVER, ia(1)), T0));
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.ADVERTISE, client(1), null), T0));
        assertTrue(s.leases().isEmpty());
    }

    @Test
    void renewExtendsRebindExtendsAndAnUnknownBindingIsNoBinding() {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        Inet6Address a = addressOf(answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(3), SERVER, ia(5)), T0)).message());
        Instant later = T0.plusSeconds(1800);
        var renew = answer(s.handle(msg(Dhcp6MessageType.RENEW, client(3), SERVER, ia(5, a)), later));
        assertEquals(a, addressOf(renew.message()));
        assertEquals(later.plusSeconds(3600), renew.bound().get(0).expiry());
        var rebind = answer(s.handle(msg(Dhcp6MessageType.REBIND, client(3), null, ia(5, a)), later.plusSeconds(100)));
        assertEquals(a, addressOf(rebind.message()));
        var unknown = answer(s.handle(msg(Dhcp6MessageType.RENEW, client(4), SERVER, ia(5, a)), later));
        assertEquals(Dhcp6Option.StatusCode.NO_BINDING, iaStatus(unknown.message()));
        assertTrue(unknown.bound().isEmpty());
    }

    @Test
    void releaseEndsTheLeaseAndDeclineKeepsTheAddressOutOfUse() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::100", List.of()));
        Inet6Address a = addressOf(answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(1), SERVER, ia(1)), T0)).message());
        var rel = answer(s.handle(msg(Dhcp6MessageType.RELEASE, client(1), SERVER, ia(1, a)), T0));
        assertEquals(Dhcp6Option.StatusCode.SUCCESS, status(rel.message()));
        assertEquals(1, rel.ended().size());
        assertTrue(s.leases().isEmpty());

        Inet6Address again = addressOf(answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(2), SERVER, ia(1)), T0)).message());
        assertEquals(a, again, "a released address is free again");
        answer(s.handle(msg(Dhcp6MessageType.DECLINE, client(2), SERVER, ia(1, a)), T0));
        var none = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(3), SERVER, ia(1)), T0.plusSeconds(60)));
        assertEquals(Dhcp6Option.StatusCode.NO_ADDRS_AVAIL, iaStatus(none.message()), "the declined address is held");
        var after = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(3), SERVER, ia(1)), T0.plus(Dhcp6Bindings.DECLINE_HOLD)));
        assertEquals(a, addressOf(after.message()));
    }

    @Test
    void twoClientsNeverShareAnAddressAndExhaustionIsNoAddrsAvail() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::10f", List.of()));
        Set<Inet6Address> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            seen.add(addressOf(answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(i), SERVER, ia(1)), T0)).message()));
        }
        assertEquals(16, seen.size());
        var full = answer(s.handle(msg(Dhcp6MessageType.SOLICIT, client(99), null, ia(1)), T0));
        assertEquals(Dhcp6Option.StatusCode.NO_ADDRS_AVAIL, iaStatus(full.message()));
        var expired = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(99), SERVER, ia(1)), T0.plusSeconds(3601)));
        assertTrue(seen.contains(addressOf(expired.message())), "expired leases free their addresses");
    }

    @Test
    void aRenewedLeaseOutlivesItsFirstExpiryAndAnExpiredOneIsFreedAtOnce() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::100", List.of()));
        Inet6Address only = addressOf(answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(1), SERVER, ia(1)), T0)).message());
        answer(s.handle(msg(Dhcp6MessageType.RENEW, client(1), SERVER, ia(1, only)), T0.plusSeconds(1800)));
        // past the first expiry, within the renewed one: still client 1's
        var busy = answer(s.handle(msg(Dhcp6MessageType.SOLICIT, client(2), null, ia(1)), T0.plusSeconds(3601)));
        assertEquals(Dhcp6Option.StatusCode.NO_ADDRS_AVAIL, iaStatus(busy.message()));
        assertEquals(1, s.leases().size());
        // the renewed lease ends at T0 + 1800 + 3600: the address is free that very second, not a second later
        var freed = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(2), SERVER, ia(1)), T0.plusSeconds(5400)));
        assertEquals(only, addressOf(freed.message()));
        assertEquals(List.of(client(2)), s.leases().stream().map(Dhcp6Lease::client).toList());
    }

    @Test
    void aClientsFqdnNamesItsLeaseAndTheReplySaysTheServerUpdatesDns() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::1ff", List.of()));
        var fqdn = new Dhcp6Option.ClientFqdn(0, "Gamma.other.org", true);
        var reply = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(1), SERVER, ia(1), fqdn), T0));
        assertEquals("gamma", reply.bound().get(0).hostname(), "the host part, as dnsmasq takes it");
        // S: the server publishes AAAA (its own DNS); O: it overrode the client's S=0; qualified with the network's domain
        assertEquals(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.S | Dhcp6Option.ClientFqdn.O, "gamma.example.com", true),
                reply.message().option(Dhcp6Option.ClientFqdn.class).orElseThrow());
        var adv = answer(s.handle(msg(Dhcp6MessageType.SOLICIT, client(2), null, ia(1),
                new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.S, "delta", false)), T0));
        assertEquals(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.S, "delta.example.com", true),
                adv.message().option(Dhcp6Option.ClientFqdn.class).orElseThrow(), "S asked, S done: no O");
        // a renewal without the option keeps the name; one with N (no updates) and no reservation names nothing new
        Inet6Address a = addressOf(reply.message());
        var renewed = answer(s.handle(msg(Dhcp6MessageType.RENEW, client(1), SERVER, ia(1, a)), T0.plusSeconds(60)));
        assertEquals("gamma", renewed.bound().get(0).hostname());
        assertTrue(renewed.message().option(Dhcp6Option.ClientFqdn.class).isEmpty(), "no FQDN asked, none sent");
        var quiet = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(3), SERVER, ia(1),
                new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.N, "epsilon", false)), T0));
        assertEquals(null, quiet.bound().get(0).hostname());
        assertEquals(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.N, "", false),
                quiet.message().option(Dhcp6Option.ClientFqdn.class).orElseThrow());
        // not a host name: ignored
        var bad = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(4), SERVER, ia(1),
                new Dhcp6Option.ClientFqdn(0, "bad_name", false)), T0));
        assertEquals(null, bad.bound().get(0).hostname());
    }

    @Test
    void aReservationsNameWinsOverTheClientsFqdn() throws Exception {
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::1ff",
                List.of(new Dhcp6Config.Host(client(5), "reserved", Dhcp6CodecTest.v6("fd00::55"), null))));
        var reply = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(5), SERVER, ia(1),
                new Dhcp6Option.ClientFqdn(0, "mine", false)), T0));
        assertEquals("reserved", reply.bound().get(0).hostname());
        assertEquals("reserved.example.com", reply.message().option(Dhcp6Option.ClientFqdn.class).orElseThrow().name());
    }

    @Test
    void aReservedDuidGetsItsAddressAndNobodyElseDoes() throws Exception {
        Inet6Address reserved = Dhcp6CodecTest.v6("fd00::100");
        Dhcp6Server s = new Dhcp6Server(config("fd00::100", "fd00::101",
                List.of(new Dhcp6Config.Host(client(9), "pudding", reserved, Duration.ofHours(2)))));
        var other = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(1), SERVER, ia(1)), T0));
        assertNotEquals(reserved, addressOf(other.message()));
        var mine = answer(s.handle(msg(Dhcp6MessageType.REQUEST, client(9), SERVER, ia(1)), T0));
        assertEquals(reserved, addressOf(mine.message()));
        assertEquals("pudding", mine.bound().get(0).hostname());
        assertEquals(7200, mine.message().option(Dhcp6Option.IaNa.class).orElseThrow().addresses().get(0).validLifetime());
    }

    @Test
    void confirmSaysWhetherAddressesAreOnLink() throws Exception {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        assertEquals(Dhcp6Option.StatusCode.SUCCESS, status(answer(s.handle(
                msg(Dhcp6MessageType.CONFIRM, client(1), null, ia(1, Dhcp6CodecTest.v6("fd00::5"))), T0)).message()));
        assertEquals(Dhcp6Option.StatusCode.NOT_ON_LINK, status(answer(s.handle(
                msg(Dhcp6MessageType.CONFIRM, client(1), null, ia(1, Dhcp6CodecTest.v6("fd01::5"))), T0)).message()));
        assertInstanceOf(Dhcp6Decision.Ignore.class, s.handle(msg(Dhcp6MessageType.CONFIRM, client(1), null, ia(1)), T0));
    }

    @Test
    void informationRequestGetsDnsAndNoAddress() {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        var r = answer(s.handle(msg(Dhcp6MessageType.INFORMATION_REQUEST, client(1), null), T0));
        assertEquals(Dhcp6MessageType.REPLY, r.message().type());
        assertTrue(r.message().option(Dhcp6Option.DnsServers.class).isPresent());
        assertTrue(r.message().option(Dhcp6Option.IaNa.class).isEmpty());
        assertTrue(s.leases().isEmpty());
    }

    @Test
    void restoredLeasesKeepTheirAddresses() throws Exception {
        Dhcp6Server s = new Dhcp6Server(uncheckedConfig());
        Dhcp6Lease l = new Dhcp6Lease(client(1), 1, Dhcp6CodecTest.v6("fd00::1234"), T0.plusSeconds(100), null);
        s.restore(List.of(l, new Dhcp6Lease(client(2), 1, Dhcp6CodecTest.v6("fd00::1235"), T0.minusSeconds(1), null)), T0);
        assertEquals(List.of(l), s.leases());
        var renew = answer(s.handle(msg(Dhcp6MessageType.RENEW, client(1), SERVER, ia(1, l.address())), T0));
        assertEquals(l.address(), addressOf(renew.message()));
    }

    private static Dhcp6Config uncheckedConfig() {
        try {
            return config("fd00::100", "fd00::ffff", List.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
