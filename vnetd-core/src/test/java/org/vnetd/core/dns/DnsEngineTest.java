package org.vnetd.core.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

class DnsEngineTest {
    private static final InetSocketAddress RESOLVER = new InetSocketAddress(IpAddresses.parse("10.0.0.53"), 53);
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<InetSocketAddress> systemResolvers = new ArrayList<>(List.of(RESOLVER));

    private DnsEngine engine(DnsConfig config) {
        return new DnsEngine(config, () -> List.copyOf(systemResolvers), clock::get);
    }

    private static DnsConfig base() {
        return DnsConfig.defaults("virbr0", List.of(IpAddresses.parse("192.168.122.1")));
    }

    private static DnsQuery query(String name, RecordType type) {
        return DnsQuery.udp(4242, DnsQuestion.in(name, type));
    }

    private static DnsReply answer(Decision d) {
        return assertInstanceOf(Decision.Answer.class, d).reply();
    }

    private static List<String> data(DnsReply r) {
        return r.answers().stream().map(rr -> switch (rr.rdata()) {
            case Rdata.A a -> a.address().getHostAddress();
            case Rdata.Aaaa a -> IpAddresses.format(a.address());
            case Rdata.Ptr p -> p.target().text();
            case Rdata.Srv s -> s.priority() + " " + s.weight() + " " + s.port() + " " + s.target();
            case Rdata.Txt t -> t.value();
            default -> rr.rdata().toString();
        }).toList();
    }

    @Test
    void hostsAnswerByPlainAndQualifiedNameWithDomain() {
        DnsEngine e = engine(base().withDomain("example.com", false).withHosts(List.of(
                DnsConfig.Host.of("192.168.122.122", "pudding"),
                DnsConfig.Host.of("fd8f:1391:3a82:150::c0a8:9603", "shared", "names"),
                DnsConfig.Host.of("192.168.122.2", "shared", "names"))));
        DnsReply r = answer(e.decide(query("pudding", RecordType.A)));
        assertEquals(List.of("192.168.122.122"), data(r));
        assertTrue(r.authoritative());
        assertEquals(List.of("192.168.122.122"), data(answer(e.decide(query("PUDDING.example.com.", RecordType.A)))));
        assertEquals(List.of("fd8f:1391:3a82:150::c0a8:9603"), data(answer(e.decide(query("names.example.com", RecordType.AAAA)))));
        // a known name without the asked type: NODATA with the zone's SOA, never forwarded
        DnsReply nodata = answer(e.decide(query("pudding.example.com", RecordType.AAAA)));
        assertEquals(ResponseCode.NOERROR, nodata.rcode());
        assertTrue(nodata.answers().isEmpty());
        assertEquals(RecordType.SOA.code(), nodata.authority().get(0).type());
        assertEquals(List.of("pudding.example.com"), data(answer(e.decide(query("122.122.168.192.in-addr.arpa", RecordType.PTR)))));
    }

    @Test
    void guestNamesLiveWithTheirLease() {
        DnsEngine e = engine(base().withDomain("example.com", true));
        InetAddress ip = IpAddresses.parse("192.168.122.50");
        assertInstanceOf(Decision.Answer.class, e.decide(query("vm1.example.com", RecordType.A)));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("vm1.example.com", RecordType.A))).rcode());
        assertTrue(e.putGuest("vm1", ip));
        assertEquals(List.of("192.168.122.50"), data(answer(e.decide(query("vm1.example.com", RecordType.A)))));
        assertEquals(List.of("192.168.122.50"), data(answer(e.decide(query("vm1", RecordType.A)))));
        assertEquals(List.of("vm1.example.com"), data(answer(e.decide(query("50.122.168.192.in-addr.arpa", RecordType.PTR)))));
        // renewal with a new name replaces the old one
        assertTrue(e.putGuest("vm1-renamed.example.com", ip));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("vm1.example.com", RecordType.A))).rcode());
        assertEquals(List.of("192.168.122.50"), data(answer(e.decide(query("vm1-renamed", RecordType.A)))));
        assertTrue(e.removeGuest(ip));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("vm1-renamed.example.com", RecordType.A))).rcode());
    }

    @Test
    void aBatchOfLeaseChangesAppliesInOrder() {
        DnsEngine e = engine(base().withDomain("example.com", true));
        InetAddress a = IpAddresses.parse("fd00::50");
        InetAddress b = IpAddresses.parse("fd00::51");
        // the refused name changes nothing: three of four count
        assertEquals(3, e.updateGuests(List.of(new DnsEngine.GuestChange(a, "vm1"), new DnsEngine.GuestChange(b, "vm2"),
                new DnsEngine.GuestChange(a, null), new DnsEngine.GuestChange(b, "bad_name"))));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("vm1.example.com", RecordType.AAAA))).rcode());
        assertEquals(List.of("fd00::51"), data(answer(e.decide(query("vm2.example.com", RecordType.AAAA)))));
        assertEquals(0, e.updateGuests(List.of(new DnsEngine.GuestChange(a, null))), "nothing left to remove");
    }

    @Test
    void untrustedGuestNamesAreRefusedAndHostsWin() {
        DnsEngine e = engine(base().withDomain("example.com", true).withHosts(List.of(DnsConfig.Host.of("192.168.122.9", "gw"))));
        assertFalse(e.putGuest("evil.other.org", IpAddresses.parse("192.168.122.60")));
        assertFalse(e.putGuest("bad_name", IpAddresses.parse("192.168.122.60")));
        assertFalse(e.putGuest("", IpAddresses.parse("192.168.122.60")));
        assertTrue(e.putGuest("gw", IpAddresses.parse("192.168.122.61")));
        assertEquals(List.of("192.168.122.9"), data(answer(e.decide(query("gw", RecordType.A)))));
        // newest lease of a name wins
        e.putGuest("web", IpAddresses.parse("192.168.122.70"));
        e.putGuest("web", IpAddresses.parse("192.168.122.71"));
        assertEquals(List.of("192.168.122.71"), data(answer(e.decide(query("web", RecordType.A)))));
    }

    @Test
    void srvAndTxtAsLibvirtNamesThem() {
        DnsEngine e = engine(base().withDomain("example.com", false)
                .withSrvRecords(List.of(DnsConfig.Srv.of("ldap", "tcp", null, "ldap.example.com", 389, 10, 20),
                        DnsConfig.Srv.of("name", "tcp", "test-domain-name", null, 1024, 10, 10)))
                .withTxtRecords(List.of(new DnsConfig.Txt("example", "example value"))));
        assertEquals(List.of("10 20 389 ldap.example.com."), data(answer(e.decide(query("_ldap._tcp.example.com", RecordType.SRV)))));
        assertEquals(List.of("10 10 1024 ."), data(answer(e.decide(query("_name._tcp.test-domain-name", RecordType.SRV)))));
        assertEquals(List.of("example value"), data(answer(e.decide(query("example", RecordType.TXT)))));
        // an empty non-terminal exists: NODATA, not NXDOMAIN
        assertEquals(ResponseCode.NOERROR, answer(e.decide(query("_tcp.example.com", RecordType.A))).rcode());
    }

    @Test
    void localOnlyAndPlainNamesDecideBetweenNxdomainAndForwarding() {
        DnsEngine open = engine(base().withDomain("example.com", false));
        assertInstanceOf(Decision.Forward.class, open.decide(query("unknown.example.com", RecordType.A)));
        assertInstanceOf(Decision.Forward.class, open.decide(query("plain", RecordType.A)));
        DnsEngine closed = engine(base().withDomain("example.com", true).withForwardPlainNames(false));
        DnsReply nx = answer(closed.decide(query("unknown.example.com", RecordType.A)));
        assertEquals(ResponseCode.NXDOMAIN, nx.rcode());
        assertEquals(RecordType.SOA.code(), nx.authority().get(0).type());
        assertEquals(ResponseCode.NXDOMAIN, answer(closed.decide(query("plain", RecordType.A))).rcode());
        assertEquals(List.of(RESOLVER), assertInstanceOf(Decision.Forward.class, closed.decide(query("www.vnetd.org", RecordType.A))).upstreams());
    }

    @Test
    void forwardersSplitByDomainAndReplaceResolvConf() {
        DnsConfig c = base().withForwarders(List.of(DnsConfig.Forwarder.to("8.8.8.8"), DnsConfig.Forwarder.to("8.8.4.4"),
                DnsConfig.Forwarder.forDomain("example.com", "192.168.1.1", 53),
                DnsConfig.Forwarder.forDomain("example2.com", "192.168.2.1", 1234),
                DnsConfig.Forwarder.forDomain("www.example.com", null, 53)));
        DnsEngine e = engine(c);
        assertEquals(List.of(sa("8.8.8.8", 53), sa("8.8.4.4", 53)), forward(e, "vnetd.org"));
        assertEquals(List.of(sa("192.168.1.1", 53)), forward(e, "a.example.com"));
        assertEquals(List.of(sa("192.168.2.1", 1234)), forward(e, "example2.com"));
        assertEquals(List.of(sa("8.8.8.8", 53), sa("8.8.4.4", 53)), forward(e, "x.www.example.com"));
        // only domain forwarders: everything else still goes to resolv.conf's servers, re-read each time
        DnsEngine split = engine(base().withForwarders(List.of(DnsConfig.Forwarder.forDomain("example.com", "192.168.1.1", 53))));
        assertEquals(List.of(RESOLVER), forward(split, "vnetd.org"));
        systemResolvers.clear();
        systemResolvers.add(sa("10.0.0.54", 53));
        systemResolvers.add(sa("192.168.122.1", 53)); // ourselves: never
        assertEquals(List.of(sa("10.0.0.54", 53)), forward(split, "vnetd.org"));
        systemResolvers.clear();
        assertEquals(ResponseCode.REFUSED, answer(split.decide(query("vnetd.org", RecordType.A))).rcode());
    }

    @Test
    void reverseLookupsInLocalPtrSubnetsStayLocal() {
        DnsEngine e = engine(base().withLocalPtrSubnets(List.of(IpPrefix.parse("192.168.122.0/24"), IpPrefix.parse("2001:db8:ca2:2::/64"))));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("77.122.168.192.in-addr.arpa", RecordType.PTR))).rcode());
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query(ReverseNames.of(IpAddresses.parse("2001:db8:ca2:2::99")).text(), RecordType.PTR))).rcode());
        assertInstanceOf(Decision.Forward.class, e.decide(query("1.1.168.192.in-addr.arpa", RecordType.PTR)));
    }

    @Test
    void reconfigureChangesAnswersAtOnce() {
        DnsEngine e = engine(base().withDomain("example.com", true));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("new.example.com", RecordType.A))).rcode());
        e.reconfigure(e.config().withHosts(List.of(DnsConfig.Host.of("192.168.122.5", "new"))));
        assertEquals(List.of("192.168.122.5"), data(answer(e.decide(query("new.example.com", RecordType.A)))));
        e.reconfigure(e.config().withHosts(List.of()));
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("new.example.com", RecordType.A))).rcode());
    }

    @Test
    void oddQueriesAreRefusedNotForwarded() {
        DnsEngine e = engine(base());
        assertEquals(ResponseCode.NOTIMP, answer(e.decide(new DnsQuery(1, 2, true, DnsQuestion.in("x", RecordType.A), Optional.empty(), false))).rcode());
        assertEquals(ResponseCode.REFUSED, answer(e.decide(query("example.com", RecordType.AXFR))).rcode());
        assertEquals(ResponseCode.REFUSED, answer(e.decide(DnsQuery.udp(1, new DnsQuestion(DnsName.of("version.bind"), 16, 3)))).rcode());
    }

    @Test
    void cacheServesUntilTheTtlRunsOutWithAgedTtls() {
        DnsEngine e = engine(base());
        DnsQuery q = query("www.vnetd.org", RecordType.A);
        assertInstanceOf(Decision.Forward.class, e.decide(q));
        e.upstreamAnswered(q, WireFixtures.answerA(999, "www.vnetd.org", 300, "203.0.113.7"));
        DnsQuery again = DnsQuery.udp(7, DnsQuestion.in("WWW.vnetd.org", RecordType.A));
        byte[] hit = assertInstanceOf(Decision.Cached.class, e.decide(again)).response();
        assertEquals(7, DnsWire.id(hit));
        assertEquals("WWW.vnetd.org", DnsWire.question(hit).name().text());
        clock.addAndGet(100_000_000_000L);
        hit = assertInstanceOf(Decision.Cached.class, e.decide(again)).response();
        assertEquals(200, DnsWire.u32(hit, DnsWire.scan(hit).ttlOffsets()[0]));
        clock.addAndGet(200_000_000_000L);
        assertInstanceOf(Decision.Forward.class, e.decide(again));
    }

    private static List<InetSocketAddress> forward(DnsEngine e, String name) {
        return assertInstanceOf(Decision.Forward.class, e.decide(query(name, RecordType.A))).upstreams();
    }

    private static InetSocketAddress sa(String ip, int port) {
        return new InetSocketAddress(IpAddresses.parse(ip), port);
    }
    @Test
    void addressRulesAnswerTheirDomainsAndForwardTheOtherTypes() {
        DnsEngine e = engine(base().withHosts(List.of(DnsConfig.Host.of("192.168.122.5", "www.lab.example")))
                .withForwarders(List.of(new DnsConfig.Forwarder(Optional.of(IpAddresses.parse("10.1.1.1")), 53,
                        Optional.of(DnsName.of("deep.lab.example")))))
                .withAddressRules(List.of(new DnsConfig.AddressRule(List.of(DnsName.of("lab.example")), false,
                        List.of(IpAddresses.parse("10.9.9.9"))), new DnsConfig.AddressRule(List.of(DnsName.of("ads.example")), false, List.of()))));
        assertEquals(List.of("10.9.9.9"), data(answer(e.decide(query("lab.example", RecordType.A)))));
        assertEquals(List.of("10.9.9.9"), data(answer(e.decide(query("a.b.LAB.example", RecordType.A)))));
        assertEquals(List.of("192.168.122.5"), data(answer(e.decide(query("www.lab.example", RecordType.A)))), "local names first");
        assertInstanceOf(Decision.Forward.class, e.decide(query("lab.example", RecordType.AAAA)), "dnsmasq forwards the other types");
        assertInstanceOf(Decision.Forward.class, e.decide(query("x.deep.lab.example", RecordType.A)), "a more specific server= wins");
        assertEquals(ResponseCode.NXDOMAIN, answer(e.decide(query("x.ads.example", RecordType.TXT))).rcode());
        assertInstanceOf(Decision.Forward.class, e.decide(query("example.org", RecordType.A)));
    }
}
