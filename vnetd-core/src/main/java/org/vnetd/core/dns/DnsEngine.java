package org.vnetd.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The DNS brain of one network, without sockets: it answers names it owns (hosts, guests, SRV,
 * TXT, reverse names), refuses what it must, and otherwise picks the upstream servers, with a
 * small cache in front. Queries read an immutable snapshot; updates (net-update, leases) build a
 * new snapshot and swap it, so answers change at once and a query never sees half an update.
 */
public final class DnsEngine {
    public static final int CACHE_ENTRIES = 4096;
    public static final long CACHE_MAX_TTL = 86_400;

    private record Snapshot(DnsConfig config, LocalZone zone, ForwardRoutes routes) {
    }

    private final Supplier<List<InetSocketAddress>> systemResolvers;
    private final ResponseCache cache;
    private final GuestNames guests = new GuestNames();
    private volatile Snapshot snapshot;

    /**
     * @param systemResolvers the host's resolvers (resolv.conf), asked for each forwarded query so a changed file counts
     * @param nanoClock       {@link System#nanoTime} in production; a fake clock in tests
     */
    public DnsEngine(DnsConfig config, Supplier<List<InetSocketAddress>> systemResolvers, LongSupplier nanoClock) {
        this.systemResolvers = systemResolvers;
        this.cache = new ResponseCache(CACHE_ENTRIES, CACHE_MAX_TTL, nanoClock);
        this.snapshot = build(config);
    }

    public DnsConfig config() {
        return snapshot.config();
    }

    /** Applies a new configuration at once; cached upstream answers are dropped when the forwarders change. */
    public synchronized void reconfigure(DnsConfig config) {
        DnsConfig old = snapshot.config();
        snapshot = build(config);
        if (!old.forwarders().equals(config.forwarders()) || !old.domain().equals(config.domain())) {
            cache.clear();
        }
    }

    /**
     * A DHCP lease of {@code address} carries {@code hostname}: the guest answers as
     * {@code hostname} (and {@code hostname.domain}) until {@link #removeGuest}. Returns false if the
     * name is refused (not a valid host name, or in another domain).
     */
    public synchronized boolean putGuest(String hostname, InetAddress address) {
        boolean ok = guests.put(hostname, address, snapshot.config().domain());
        if (ok) {
            snapshot = build(snapshot.config());
        }
        return ok;
    }

    /** The lease of {@code address} ended (release, expiry, or the guest's port went away). */
    public synchronized boolean removeGuest(InetAddress address) {
        boolean removed = guests.remove(address);
        if (removed) {
            snapshot = build(snapshot.config());
        }
        return removed;
    }

    /** One guest name change of a batch: {@code hostname} null means the lease of {@code address} ended. */
    public record GuestChange(InetAddress address, String hostname) {
        public GuestChange {
            java.util.Objects.requireNonNull(address, "address");
        }
    }

    /**
     * A batch of lease changes in order (a DHCP lease log's sync), the zone rebuilt once for all of them
     * rather than once per lease. Returns how many changed a name.
     */
    public synchronized int updateGuests(List<GuestChange> changes) {
        int changed = 0;
        for (GuestChange c : changes) {
            boolean did = c.hostname() == null ? guests.remove(c.address())
                    : guests.put(c.hostname(), c.address(), snapshot.config().domain());
            if (did) {
                changed++;
            }
        }
        if (changed > 0) {
            snapshot = build(snapshot.config());
        }
        return changed;
    }

    /** Replaces all guest names at once, e.g. from the lease file after a daemon restart. */
    public synchronized void replaceGuests(Map<InetAddress, String> leases) {
        guests.clear();
        leases.forEach((addr, name) -> guests.put(name, addr, snapshot.config().domain()));
        snapshot = build(snapshot.config());
    }

    public synchronized Map<InetAddress, String> guestNames() {
        return guests.snapshot();
    }

    public int cachedAnswers() {
        return cache.size();
    }

    /** Decides what to do with {@code query}. Never throws for any well-formed query. */
    public Decision decide(DnsQuery query) {
        Snapshot s = snapshot;
        DnsQuestion q = query.question();
        if (query.opcode() != DnsQuery.OPCODE_QUERY) {
            return new Decision.Answer(DnsReply.error(ResponseCode.NOTIMP));
        }
        if (q.dnsClass() != DnsQuestion.CLASS_IN && q.dnsClass() != DnsQuestion.CLASS_ANY) {
            return new Decision.Answer(DnsReply.error(ResponseCode.REFUSED));
        }
        if (q.type() == RecordType.AXFR.code() || q.type() == RecordType.IXFR.code()) {
            return new Decision.Answer(DnsReply.error(ResponseCode.REFUSED));
        }
        DnsName name = q.name();
        Optional<DnsName> domain = s.config().domain();
        boolean inDomain = domain.isPresent() && name.isUnder(domain.get());
        if (s.zone().exists(name)) {
            List<ResourceRecord> matching = new ArrayList<>(2);
            for (ResourceRecord r : s.zone().lookup(name)) {
                if (q.type() == r.type() || q.type() == RecordType.ANY.code()) {
                    // answer with the client's spelling of the name
                    matching.add(r.name().text().equals(name.text()) ? r : new ResourceRecord(name, r.ttl(), r.rdata()));
                }
            }
            return new Decision.Answer(DnsReply.authoritative(ResponseCode.NOERROR, matching,
                    matching.isEmpty() && inDomain ? soa(s) : List.of()));
        }
        if (ReverseNames.isReverse(name)) {
            Optional<InetAddress> addr = ReverseNames.parse(name);
            if (addr.isPresent() && s.config().localPtrSubnets().stream().anyMatch(p -> p.contains(addr.get()))) {
                return new Decision.Answer(DnsReply.authoritative(ResponseCode.NXDOMAIN, List.of(), List.of()));
            }
        }
        Optional<Decision> byRule = addressRule(s.config(), name, q.type());
        if (byRule.isPresent()) {
            return byRule.get();
        }
        if (inDomain && s.config().localOnly()) {
            return new Decision.Answer(DnsReply.authoritative(ResponseCode.NXDOMAIN, List.of(), soa(s)));
        }
        if (name.labelCount() == 1 && !s.config().forwardPlainNames()) {
            return new Decision.Answer(DnsReply.authoritative(ResponseCode.NXDOMAIN, List.of(), List.of()));
        }
        Optional<byte[]> cached = cache.get(query);
        if (cached.isPresent()) {
            return new Decision.Cached(cached.get());
        }
        List<InetSocketAddress> upstreams = s.routes().upstreamsFor(name);
        if (upstreams.isEmpty()) {
            // dnsmasq's answer when it has no server to ask
            return new Decision.Answer(DnsReply.error(ResponseCode.REFUSED));
        }
        return new Decision.Forward(upstreams);
    }

    /** An upstream server answered a forwarded {@code query}; the answer may be cached. */
    public void upstreamAnswered(DnsQuery query, byte[] response) {
        cache.put(ResponseCache.Key.of(query), response);
    }

    /**
     * dnsmasq's {@code address=} (after the local names, which override it): the most specific rule for the name,
     * unless a forwarder's domain is more specific still; an empty decision lets the query go on.
     */
    private static Optional<Decision> addressRule(DnsConfig config, DnsName name, int type) {
        DnsConfig.AddressRule best = null;
        int bestLabels = -1;
        for (DnsConfig.AddressRule r : config.addressRules()) {
            int m = r.match(name);
            if (m > bestLabels) {
                best = r;
                bestLabels = m;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        for (DnsConfig.Forwarder f : config.forwarders()) {
            if (f.domain().isPresent() && name.isUnder(f.domain().get()) && f.domain().get().labelCount() > bestLabels) {
                return Optional.empty();
            }
        }
        if (best.addresses().isEmpty()) {
            return Optional.of(new Decision.Answer(DnsReply.authoritative(ResponseCode.NXDOMAIN, List.of(), List.of())));
        }
        List<ResourceRecord> answers = new ArrayList<>();
        for (InetAddress a : best.addresses()) {
            ResourceRecord r = new ResourceRecord(name, config.localTtl(),
                    a instanceof java.net.Inet4Address v4 ? new Rdata.A(v4) : new Rdata.Aaaa((java.net.Inet6Address) a));
            if (r.type() == type) {
                answers.add(r);
            }
        }
        // dnsmasq forwards the other types of such a name
        return answers.isEmpty() ? Optional.empty() : Optional.of(new Decision.Answer(DnsReply.authoritative(ResponseCode.NOERROR, answers, List.of())));
    }

    private static List<ResourceRecord> soa(Snapshot s) {
        return s.zone().soa().map(List::of).orElse(List.of());
    }

    private Snapshot build(DnsConfig config) {
        return new Snapshot(config, LocalZone.build(config, guests.entries()), new ForwardRoutes(config, systemResolvers));
    }
}
