package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.Decision.IgnoreReason;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * The DHCPv4 server engine (RFC 2131 section 4.3): one message in, one {@link Decision} out, no
 * sockets and no clock of its own. It is authoritative for its subnet, as libvirt's dnsmasq is
 * ({@code dhcp-authoritative}): a request for an address it cannot give is NAKed, not ignored.
 * Thread-safe (one lock): the transport calls {@link #handle} while the RPC reads {@link #leases()}.
 * Only {@link #leaseCount()} and {@link #leasesView()} take no lock: the lease store's threads read
 * them and must never hold up the thread that answers clients.
 */
public final class DhcpServer {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpServer.class);
    /** How long an offered address is held for the client that was offered it. */
    public static final Duration OFFER_HOLD = Duration.ofSeconds(60);
    /** How long a declined address stays out of the pool. */
    public static final Duration DECLINE_QUARANTINE = Duration.ofMinutes(10);
    private static final Duration EXHAUSTION_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private record Held(ClientId clientId, Instant until) {
    }

    private final LeaseListener listener;
    private final LeaseTable leases = new LeaseTable(); // changed under the lock; leasesView() reads it without
    private final Map<Integer, Held> offers = new HashMap<>();
    private final Map<ClientId, Integer> offerOf = new HashMap<>(); // offers indexed by client
    private final Map<Integer, Instant> quarantine = new HashMap<>();
    private final DhcpStats.Counter stats = new DhcpStats.Counter();
    private AddressPool pool;
    private Instant lastExhaustionLog = Instant.EPOCH;
    private long exhaustionsSinceLog;

    public DhcpServer(DhcpConfig config, Collection<DhcpLease> initialLeases, LeaseListener listener) {
        this.pool = new AddressPool(Objects.requireNonNull(config, "config"));
        this.listener = Objects.requireNonNull(listener, "listener");
        List<DhcpLease> sorted = new ArrayList<>(initialLeases);
        // later expiry wins when a client or an address appears twice (an old and a newer record)
        sorted.sort(Comparator.comparing(l -> l.expiry() == null ? Instant.MAX : l.expiry()));
        for (DhcpLease l : sorted) {
            if (!config.subnet().contains(l.address())) {
                continue;
            }
            leases.put(l); // replaces the client's other lease and the address's other holder
        }
    }

    public synchronized DhcpConfig config() {
        return pool.config();
    }

    /**
     * Replaces ranges, hosts and options without losing leases. A lease on an address that became
     * another client's static reservation is ended now; other leases outside the new pool end at the
     * client's next renewal (NAK), as with dnsmasq after a SIGHUP.
     */
    public synchronized void reconfigure(DhcpConfig config) {
        this.pool = new AddressPool(config);
        offers.clear();
        offerOf.clear();
        for (DhcpLease l : leases.copy()) {
            int ip = l.ip();
            DhcpConfig.StaticHost res = pool.reservationAt(ip);
            boolean displaced = res != null && !res.equals(pool.hostFor(l.clientId(), l.mac()));
            if (displaced || !config.subnet().contains(l.address())) {
                remove(l, LeaseChange.Kind.EXPIRED);
            }
        }
    }

    /** How many leases are held (expired ones not yet reaped included); takes no lock. */
    public int leaseCount() {
        return leases.size();
    }

    /** Every lease held, in no particular order: a plain copy. */
    public synchronized List<DhcpLease> leasesUnordered() {
        return leases.copy();
    }

    /**
     * The leases held, as a live read-only view that takes no lock, for the lease store's snapshot.
     * A copy under the lock stalled every client for as long as it took (milliseconds with tens of
     * thousands of leases: bench/dhcp/README.md, "Figures behind the code").
     * Iteration is weakly consistent: it sees every lease held throughout, and for one bound, renewed
     * or ended meanwhile either its state before or after. Each such change is in the lease log
     * written after the snapshot was started, so snapshot plus that log replay to the same state.
     */
    public Collection<DhcpLease> leasesView() {
        return leases.view();
    }

    /** All leases, bound or expired-but-not-reaped, ordered by address. */
    public synchronized List<DhcpLease> leases() {
        List<DhcpLease> out = leasesUnordered();
        out.sort(Comparator.comparingInt(l -> l.ip() ^ Integer.MIN_VALUE));
        return out;
    }

    public synchronized DhcpStats stats() {
        return stats.snapshot();
    }

    /**
     * Ends every lease held by {@code mac} now (the listener sees RELEASED), as a deleted VM port asks;
     * returns how many ended.
     */
    public synchronized int releaseMac(org.vnetd.core.net.MacAddress mac) {
        int n = 0;
        for (DhcpLease l : leases.copy()) {
            if (mac.equals(l.mac())) {
                remove(l, LeaseChange.Kind.RELEASED);
                n++;
            }
        }
        return n;
    }

    /** Ends every lease expired at {@code now} (listener sees EXPIRED); returns them. */
    public synchronized List<DhcpLease> reapExpired(Instant now) {
        List<DhcpLease> gone = new ArrayList<>();
        for (DhcpLease l : leases.copy()) {
            if (l.isExpired(now)) {
                remove(l, LeaseChange.Kind.EXPIRED);
                gone.add(l);
            }
        }
        offers.values().removeIf(h -> !h.until().isAfter(now));
        offerOf.entrySet().removeIf(e -> !offers.containsKey(e.getValue()));
        quarantine.values().removeIf(t -> !t.isAfter(now));
        return gone;
    }

    /** Decodes and handles one datagram; a malformed one is counted and ignored. */
    public Decision handleDatagram(byte[] data, int off, int len, Instant now) {
        DhcpMessage msg;
        try {
            msg = DhcpCodec.decode(data, off, len);
        } catch (MalformedDhcpException e) {
            synchronized (this) {
                stats.malformed++;
            }
            return new Decision.Ignore(IgnoreReason.MALFORMED, e.getMessage());
        }
        return handle(msg, now);
    }

    public synchronized Decision handle(DhcpMessage msg, Instant now) {
        stats.received++;
        Decision d = decide(msg, now);
        stats.count(d);
        return d;
    }

    private Decision decide(DhcpMessage msg, Instant now) {
        if (msg.op() != DhcpMessage.BOOTREQUEST) {
            return ignore(IgnoreReason.MALFORMED, "op %d is not BOOTREQUEST", msg.op());
        }
        DhcpMessageType type = msg.messageType();
        if (type == null) {
            return ignore(IgnoreReason.MALFORMED, "no DHCP message type (plain BOOTP is not served)");
        }
        ClientId cid = msg.clientId();
        if (cid == null) {
            return ignore(IgnoreReason.MALFORMED, "%s without client identifier or chaddr", type);
        }
        DhcpConfig cfg = pool.config();
        if (!msg.giaddr().equals(DhcpMessage.ZERO) && !pool.inSubnet(msg.giaddr())) {
            return ignore(IgnoreReason.NOT_FOR_US, "relayed from %s, outside %s", msg.giaddr().getHostAddress(), cfg.subnet());
        }
        return switch (type.code()) {
            case 1 -> discover(msg, cid, now);
            case 3 -> request(msg, cid, now);
            case 4 -> decline(msg, cid, now);
            case 7 -> release(msg, cid);
            case 8 -> inform(msg);
            default -> ignore(IgnoreReason.UNSUPPORTED_TYPE, "%s is not a client message", type);
        };
    }

    private Decision discover(DhcpMessage msg, ClientId cid, Instant now) {
        int ip = chooseAddress(cid, msg.mac(), msg.requestedIp(), now);
        if (ip == 0) {
            logExhaustion(now);
            return ignore(IgnoreReason.POOL_EXHAUSTED, "no free address for %s", cid);
        }
        hold(ip, cid, now.plus(OFFER_HOLD));
        Inet4Address addr = IpAddresses.fromInt(ip);
        DhcpMessage reply = reply(msg, DhcpMessageType.OFFER, addr, leaseTimeFor(ip, cid, msg.mac()));
        return new Decision.Offer(reply, target(msg, false), msg.maxMessageSize());
    }

    private Decision request(DhcpMessage msg, ClientId cid, Instant now) {
        Inet4Address serverId = msg.serverId();
        Inet4Address requested = msg.requestedIp();
        boolean hasCiaddr = !msg.ciaddr().equals(DhcpMessage.ZERO);
        DhcpConfig cfg = pool.config();
        Inet4Address addr;
        if (serverId != null) { // SELECTING
            if (!serverId.equals(cfg.serverAddress())) {
                dropOfferOf(cid);
                return ignore(IgnoreReason.NOT_FOR_US, "client chose server %s", serverId.getHostAddress());
            }
            addr = requested != null ? requested : hasCiaddr ? msg.ciaddr() : null;
        } else if (requested != null) { // INIT-REBOOT
            addr = requested;
        } else if (hasCiaddr) { // RENEWING or REBINDING
            addr = msg.ciaddr();
        } else {
            return ignore(IgnoreReason.MALFORMED, "REQUEST without requested address or ciaddr");
        }
        if (addr == null) {
            return ignore(IgnoreReason.MALFORMED, "REQUEST in SELECTING without requested address");
        }
        int ip = IpAddresses.toInt(addr);
        String why = refusal(ip, cid, msg.mac(), now);
        if (why != null) {
            dropOfferOf(cid);
            return nak(msg, why);
        }
        Duration time = leaseTimeFor(ip, cid, msg.mac());
        DhcpLease lease = bind(ip, cid, msg.mac(), sanitize(msg.hostname()), time, now);
        DhcpMessage reply = reply(msg, DhcpMessageType.ACK, addr, time);
        return new Decision.Ack(reply, target(msg, false), msg.maxMessageSize(), lease);
    }

    private Decision release(DhcpMessage msg, ClientId cid) {
        Inet4Address sid = msg.serverId();
        if (sid != null && !sid.equals(pool.config().serverAddress())) {
            return ignore(IgnoreReason.NOT_FOR_US, "RELEASE for server %s", sid.getHostAddress());
        }
        DhcpLease l = leases.byClient(cid);
        if (l == null || !l.address().equals(msg.ciaddr())) {
            return ignore(IgnoreReason.NO_BINDING, "RELEASE of %s by %s, which holds no such lease",
                    msg.ciaddr().getHostAddress(), cid);
        }
        remove(l, LeaseChange.Kind.RELEASED);
        return ignore(IgnoreReason.RELEASED, "%s released %s", cid, l.address().getHostAddress());
    }

    private Decision decline(DhcpMessage msg, ClientId cid, Instant now) {
        Inet4Address sid = msg.serverId();
        if (sid != null && !sid.equals(pool.config().serverAddress())) {
            return ignore(IgnoreReason.NOT_FOR_US, "DECLINE for server %s", sid.getHostAddress());
        }
        Inet4Address addr = msg.requestedIp();
        if (addr == null) {
            return ignore(IgnoreReason.MALFORMED, "DECLINE without requested address");
        }
        int ip = IpAddresses.toInt(addr);
        DhcpLease l = leases.byClient(cid);
        Held h = offers.get(ip);
        boolean ours = (l != null && l.address().equals(addr)) || (h != null && h.clientId().equals(cid));
        if (!ours) {
            return ignore(IgnoreReason.NO_BINDING, "DECLINE of %s by %s, which was never given it", addr.getHostAddress(), cid);
        }
        if (l != null && l.address().equals(addr)) {
            remove(l, LeaseChange.Kind.DECLINED);
        }
        dropOffer(ip);
        quarantine.put(ip, now.plus(DECLINE_QUARANTINE));
        LOG.warn("DHCP on {}: {} declined {} (address in use?); quarantined for {}", pool.config().interfaceName(),
                cid, addr.getHostAddress(), DECLINE_QUARANTINE);
        return ignore(IgnoreReason.DECLINED, "%s declined %s", cid, addr.getHostAddress());
    }

    private Decision inform(DhcpMessage msg) {
        DhcpMessage reply = reply(msg, DhcpMessageType.ACK, DhcpMessage.ZERO, null);
        return new Decision.Ack(reply, target(msg, false), msg.maxMessageSize(), null);
    }

    private Decision nak(DhcpMessage msg, String why) {
        DhcpConfig cfg = pool.config();
        DhcpOptions opts = DhcpOptions.builder()
                .putByte(DhcpOptionCode.MESSAGE_TYPE, DhcpMessageType.NAK.code())
                .putAddress(DhcpOptionCode.SERVER_ID, cfg.serverAddress())
                .putString(DhcpOptionCode.MESSAGE, why)
                .build();
        boolean relayed = !msg.giaddr().equals(DhcpMessage.ZERO);
        DhcpMessage reply = new DhcpMessage(DhcpMessage.BOOTREPLY, msg.htype(), msg.hlen(), 0, msg.xid(), 0,
                relayed ? DhcpMessage.FLAG_BROADCAST : msg.flags() & DhcpMessage.FLAG_BROADCAST, DhcpMessage.ZERO,
                DhcpMessage.ZERO, DhcpMessage.ZERO, msg.giaddr(), msg.chaddr(), null, null, opts);
        return new Decision.Nak(reply, target(msg, true), why);
    }

    /** Null when {@code ip} may be bound to this client, else the reason for the NAK. */
    private String refusal(int ip, ClientId cid, MacAddress mac, Instant now) {
        DhcpConfig cfg = pool.config();
        Inet4Address addr = IpAddresses.fromInt(ip);
        if (!pool.inSubnet(addr)) {
            return "address " + addr.getHostAddress() + " is not on " + cfg.subnet();
        }
        DhcpConfig.StaticHost host = pool.hostFor(cid, mac);
        if (host != null) {
            return IpAddresses.toInt(host.ip()) == ip ? null
                    : "this client is reserved " + host.ip().getHostAddress() + ", not " + addr.getHostAddress();
        }
        if (!pool.isDynamic(ip)) {
            return "address " + addr.getHostAddress() + " is not in a DHCP range";
        }
        if (!freeFor(ip, cid, now)) {
            return "address " + addr.getHostAddress() + " is in use";
        }
        return null;
    }

    /** 0 when nothing is free. Order: reservation, own lease, own offer, requested, hash-seeded probe. */
    private int chooseAddress(ClientId cid, MacAddress mac, Inet4Address requested, Instant now) {
        DhcpConfig.StaticHost host = pool.hostFor(cid, mac);
        if (host != null) {
            return IpAddresses.toInt(host.ip());
        }
        DhcpLease own = leases.byClient(cid);
        if (own != null) {
            int ip = own.ip();
            if (pool.isDynamic(ip) && freeFor(ip, cid, now)) {
                return ip;
            }
        }
        Integer offered = offerOf.get(cid);
        if (offered != null && offers.get(offered).until().isAfter(now) && pool.isDynamic(offered)
                && freeFor(offered, cid, now)) {
            return offered;
        }
        if (requested != null) {
            int ip = IpAddresses.toInt(requested);
            if (pool.isDynamic(ip) && freeFor(ip, cid, now)) {
                return ip;
            }
        }
        long n = pool.size();
        if (n == 0) {
            return 0;
        }
        long start = Math.floorMod(cid.stableHash(), n);
        for (long k = 0; k < n; k++) {
            int ip = pool.addressAt((start + k) % n);
            if (pool.isDynamic(ip) && freeFor(ip, cid, now)) {
                return ip;
            }
        }
        return 0;
    }

    /** Not leased, offered or quarantined for anyone but {@code cid} (expired holds do not count). */
    private boolean freeFor(int ip, ClientId cid, Instant now) {
        DhcpLease l = leases.byAddress(ip);
        if (l != null && !l.clientId().equals(cid) && !l.isExpired(now)) {
            return false;
        }
        Held h = offers.get(ip);
        if (h != null && !h.clientId().equals(cid) && h.until().isAfter(now)) {
            return false;
        }
        Instant q = quarantine.get(ip);
        return q == null || !q.isAfter(now);
    }

    private void hold(int ip, ClientId cid, Instant until) {
        dropOfferOf(cid);
        dropOffer(ip);
        offers.put(ip, new Held(cid, until));
        offerOf.put(cid, ip);
    }

    private void dropOffer(int ip) {
        Held h = offers.remove(ip);
        if (h != null) {
            offerOf.remove(h.clientId(), ip);
        }
    }

    private void dropOfferOf(ClientId cid) {
        Integer ip = offerOf.remove(cid);
        if (ip != null) {
            offers.remove(ip);
        }
    }

    private DhcpLease bind(int ip, ClientId cid, MacAddress mac, String hostname, Duration time, Instant now) {
        dropOffer(ip);
        dropOfferOf(cid);
        DhcpLease mine = leases.byClient(cid);
        if (mine != null && mine.ip() != ip) {
            remove(mine, LeaseChange.Kind.EXPIRED); // the client moved to another address
            mine = null;
        }
        DhcpLease other = leases.byAddress(ip);
        if (other != null && !other.clientId().equals(cid)) {
            remove(other, LeaseChange.Kind.EXPIRED); // only possible when it had expired (freeFor)
        }
        if (hostname == null && mine != null) {
            hostname = mine.hostname();
        }
        Instant expiry = DhcpConfig.isInfinite(time) ? null : now.plus(time);
        DhcpLease lease = new DhcpLease(ip, cid, mac, hostname, expiry);
        leases.put(lease);
        listener.onLeaseChange(new LeaseChange(LeaseChange.Kind.BOUND, lease));
        return lease;
    }

    private Duration leaseTimeFor(int ip, ClientId cid, MacAddress mac) {
        DhcpConfig cfg = pool.config();
        DhcpConfig.StaticHost host = pool.hostFor(cid, mac);
        if (host != null && IpAddresses.toInt(host.ip()) == ip) {
            return host.leaseTime() != null ? host.leaseTime() : cfg.defaultLeaseTime();
        }
        DhcpConfig.Range r = pool.rangeOf(ip);
        return r != null && r.leaseTime() != null ? r.leaseTime() : cfg.defaultLeaseTime();
    }

    private DhcpMessage reply(DhcpMessage req, DhcpMessageType type, Inet4Address yiaddr, Duration leaseTime) {
        DhcpConfig cfg = pool.config();
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putByte(DhcpOptionCode.MESSAGE_TYPE, type.code())
                .putAddress(DhcpOptionCode.SERVER_ID, cfg.serverAddress());
        if (leaseTime != null) {
            if (DhcpConfig.isInfinite(leaseTime)) {
                o.putInt(DhcpOptionCode.LEASE_TIME, 0xFFFF_FFFFL);
            } else {
                long s = Math.max(1, leaseTime.toSeconds());
                o.putInt(DhcpOptionCode.LEASE_TIME, s);
                o.putInt(DhcpOptionCode.RENEWAL_TIME, s / 2);
                o.putInt(DhcpOptionCode.REBINDING_TIME, s * 7 / 8);
            }
        }
        Map<Integer, byte[]> available = pool.parameters();
        // RFC 2132 9.8: the server MUST try to insert requested options in the order requested;
        // the config's values are immutable, so the reply shares them (putOwned) instead of copying
        byte[] prl = req.options().raw(DhcpOptionCode.PARAMETER_REQUEST_LIST);
        if (prl != null) {
            for (byte b : prl) {
                int c = b & 0xFF;
                byte[] v = available.get(c);
                if (v != null && !o.has(c)) {
                    o.putOwned(c, v);
                }
            }
        }
        for (Map.Entry<Integer, byte[]> e : available.entrySet()) {
            if (!o.has(e.getKey())) {
                o.putOwned(e.getKey(), e.getValue());
            }
        }
        Inet4Address siaddr = DhcpMessage.ZERO;
        byte[] file = null;
        if (cfg.bootp() != null) {
            siaddr = cfg.bootp().server() != null ? cfg.bootp().server() : cfg.serverAddress();
            byte[] f = cfg.bootp().file().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            file = f.length < 128 ? f : null; // a longer name still goes in option 67
        } else if (cfg.tftpRoot() != null) {
            siaddr = cfg.serverAddress();
        }
        boolean ack = type.equals(DhcpMessageType.ACK);
        return new DhcpMessage(DhcpMessage.BOOTREPLY, req.htype(), req.hlen(), 0, req.xid(), 0, req.flags(),
                ack ? req.ciaddr() : DhcpMessage.ZERO, yiaddr, siaddr, req.giaddr(), req.chaddr(), null, file, o.build());
    }

    static Map<Integer, byte[]> parameters(DhcpConfig cfg) {
        Map<Integer, byte[]> m = new java.util.LinkedHashMap<>();
        m.put(DhcpOptionCode.SUBNET_MASK, cfg.subnet().netmask().getAddress());
        if (cfg.router() != null) {
            m.put(DhcpOptionCode.ROUTER, cfg.router().getAddress());
        }
        if (!cfg.dnsServers().isEmpty()) {
            byte[] v = new byte[4 * cfg.dnsServers().size()];
            for (int i = 0; i < cfg.dnsServers().size(); i++) {
                System.arraycopy(cfg.dnsServers().get(i).getAddress(), 0, v, 4 * i, 4);
            }
            m.put(DhcpOptionCode.DNS_SERVERS, v);
        }
        if (cfg.domainName() != null && !cfg.domainName().isEmpty()) {
            m.put(DhcpOptionCode.DOMAIN_NAME, cfg.domainName().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        if (cfg.mtu() != null) {
            m.put(DhcpOptionCode.INTERFACE_MTU, new byte[] {(byte) (cfg.mtu() >>> 8), (byte) (int) cfg.mtu()});
        }
        m.put(DhcpOptionCode.BROADCAST_ADDRESS, cfg.subnet().broadcast().getAddress());
        if (cfg.bootp() != null) {
            Inet4Address s = cfg.bootp().server() != null ? cfg.bootp().server() : cfg.serverAddress();
            m.put(DhcpOptionCode.TFTP_SERVER_NAME, s.getHostAddress().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            m.put(DhcpOptionCode.BOOTFILE_NAME, cfg.bootp().file().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        for (DhcpConfig.OptionOverride o : cfg.optionOverrides()) {
            if (o.value().isPresent()) {
                m.put(o.code(), o.value().get());
            } else {
                m.remove(o.code());
            }
        }
        return m;
    }

    private static ReplyTarget target(DhcpMessage req, boolean nak) {
        if (!req.giaddr().equals(DhcpMessage.ZERO)) {
            return ReplyTarget.relay(req.giaddr());
        }
        if (!nak && !req.ciaddr().equals(DhcpMessage.ZERO)) {
            return ReplyTarget.unicast(req.ciaddr());
        }
        // no address yet (or a NAK): broadcast on the link; we do not inject ARP entries for yiaddr
        return ReplyTarget.broadcast();
    }

    private void logExhaustion(Instant now) {
        exhaustionsSinceLog++;
        if (Duration.between(lastExhaustionLog, now).compareTo(EXHAUSTION_LOG_INTERVAL) >= 0) {
            LOG.warn("DHCP on {}: address pool exhausted, {} DISCOVER(s) got no offer since the last report",
                    pool.config().interfaceName(), exhaustionsSinceLog);
            lastExhaustionLog = now;
            exhaustionsSinceLog = 0;
        }
    }

    static String sanitize(String hostname) {
        if (hostname == null) {
            return null;
        }
        String h = hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
        return h.length() <= 253 && HOSTNAME.matcher(h).matches() ? h : null;
    }

    private void remove(DhcpLease l, LeaseChange.Kind kind) {
        leases.remove(l);
        listener.onLeaseChange(new LeaseChange(kind, l));
    }

    private static Decision ignore(IgnoreReason reason, String fmt, Object... args) {
        return new Decision.Ignore(reason, String.format(fmt, args));
    }
}
