package org.vnetd.daemon.port;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.alloc.MacAddresses;
import org.vnetd.core.alloc.TapNames;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.rpc.FdReply;

/**
 * VM ports: a tap per guest interface, plugged into a network's bridge (libvirt's net-port-create).
 * Ports are remembered in the run dir, so a restarted daemon lists them and adopts their taps; a port
 * outlives its network's destruction (it is reported as such) and is plugged in again when the
 * network starts. Port creation and deletion are serialised: each is a handful of kernel calls.
 */
public final class PortManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortManager.class);
    /** How long a passFd port's descriptors wait for {@code port.fd} before the port is dropped. */
    static final long FD_PICKUP_SECONDS = 60;
    /** EXFULL from errno.h: the bridge has no free port number (the kernel allows 1023 ports per bridge). */
    static final int EXFULL = 54;
    /** ENODEV from errno.h. */
    static final int ENODEV = 19;
    /** EBUSY from errno.h: TUNSETIFF's answer for a name that exists (it is exclusive). */
    static final int EBUSY = 16;
    /** Generated names tried when each turns out taken between our check and TUNSETIFF. */
    static final int NAME_ATTEMPTS = 16;
    static final String BANDWIDTH_NOTE = "bandwidth is not applied yet";
    static final String VLAN_NOTE = "vlan is not applied yet";
    static final String CLIENT_TAP_NOTE = "its client makes, plugs and removes the tap";
    /** How long a create asking for the name of a tap being reaped waits for the reaper (it takes ~20-100 ms). */
    static final Duration REAP_WAIT = Duration.ofSeconds(5);

    private record Pending(String uuid, TapHandle handle) {
    }

    private final NetworkDriver driver;
    private final LinkBackend links;
    private final PortStore store;
    private final PortDhcp dhcp;
    private final TapReaper reaper;
    private final Map<String, PortRecord> ports = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock mutations = new ReentrantLock();
    private final ScheduledExecutorService timers;
    private final SecureRandom random = new SecureRandom();
    /** Guarded by {@code mutations}. */
    private TapNames tapNames = new TapNames();

    public PortManager(NetworkDriver driver, LinkBackend links, PortStore store, PortDhcp dhcp, TapReaper reaper) {
        this.driver = driver;
        this.links = links;
        this.store = store;
        this.dhcp = dhcp;
        this.reaper = reaper;
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("port-timers").factory());
    }

    // ------------------------------------------------------------------ restart

    /**
     * Removes taps of ports deleted by an earlier run that were not reaped before it stopped, then loads
     * stored ports and adopts their taps: a persistent tap detached from its bridge is plugged in again.
     */
    public void recover() {
        try {
            reaper.reapLeftovers();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove taps of deleted ports left in link group {}: {}", Integer.toUnsignedString(TapReaper.GROUP),
                    e.getMessage());
        }
        List<PortRecord> stored = store.load();
        stored.forEach(r -> ports.put(r.uuid(), r));
        mutations.lock();
        try {
            tapNames = new TapNames(TapNames.PREFIX, TapNames.resumeAfter(TapNames.PREFIX, stored.stream().map(PortRecord::tap)
                    .filter(java.util.Objects::nonNull).toList()));
        } finally {
            mutations.unlock();
        }
        stored.stream().filter(r -> r.ip() != null).map(PortRecord::network).distinct().forEach(n -> {
            try {
                dhcp.setReservations(n, reservations(n, null));
            } catch (RuntimeException e) {
                LOG.warn("cannot restore the DHCP reservations of ports on network {}: {}", n, e.getMessage());
            }
        });
        for (PortRecord r : stored) {
            if (r.clientTap()) {
                LOG.info("kept port {} of network {} (its client's tap, on {})", r.uuid(), r.network(), r.bridge());
                continue;
            }
            Optional<LinkInfo> tap = links.getLink(r.tap());
            if (tap.isEmpty()) {
                LOG.warn("port {} of network {}: tap {} is gone{}", r.uuid(), r.network(), r.tap(),
                        r.passFd() ? " (its holder closed it)" : "");
                continue;
            }
            if (state(r).equals("ok") && !tap.get().master().map(r.bridge()::equals).orElse(false)) {
                replug(r);
            }
            LOG.info("adopted port {} ({} on {}, network {})", r.uuid(), r.tap(), r.bridge(), r.network());
        }
    }

    /** Lifecycle events: a network that starts again gets its ports' taps back on its bridge. */
    public void onNetworkEvent(NetworkEvent e) {
        if (!NetworkEvent.LIFECYCLE.equals(e.event()) || !"Started".equals(e.detail())) {
            return;
        }
        for (PortRecord r : List.copyOf(ports.values())) {
            if (!r.clientTap() && r.network().equals(e.network()) && r.networkUuid().equals(e.uuid())) {
                timers.execute(() -> {
                    try {
                        replug(r);
                    } catch (RuntimeException ex) {
                        LOG.warn("cannot plug port {} ({}) back into {}: {}", r.uuid(), r.tap(), r.bridge(), ex.getMessage());
                    }
                });
            }
        }
    }

    private void replug(PortRecord r) {
        mutations.lock();
        try {
            if (links.getLink(r.tap()).isEmpty() || links.getLink(r.bridge()).isEmpty()) {
                return;
            }
            links.setMaster(r.tap(), r.bridge());
            if (r.isolated()) {
                links.setBridgePort(r.tap(), BridgePortOptions.DEFAULTS.withIsolated(true));
            }
            links.setUp(r.tap());
            LOG.info("port {}: {} plugged into {} again", r.uuid(), r.tap(), r.bridge());
        } finally {
            mutations.unlock();
        }
    }

    // ------------------------------------------------------------------ create

    public Port create(PortRequest req) {
        long t0 = System.nanoTime();
        NetworkSummary net = driver.lookup(req.network());
        if (!net.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", net.name());
        }
        NetworkDef def = driver.definition(net.name(), false);
        PortTarget target = PortTarget.of(def, req.portgroup());
        long t1 = System.nanoTime();
        String uuid = UUID.randomUUID().toString();
        MacAddress tapMac = MacAddresses.tapMacFor(req.mac());
        boolean isolated = req.isolated().orElse(target.isolatedDefault());
        List<String> notes = new ArrayList<>();
        target.bandwidth().ifPresent(b -> notes.add(BANDWIDTH_NOTE));
        target.vlan().ifPresent(v -> notes.add(VLAN_NOTE));
        TapSpec spec = new TapSpec(req.tap().orElse(TapNames.PREFIX + "%d"), req.ownerUid(), req.ownerGid(), req.vnetHdr(), req.multiQueue());

        mutations.lock();
        Undo undo = new Undo();
        try {
            LinkRef bridge = links.linkRef(target.bridge()).orElseThrow(() -> VnetException.of(ErrorCode.CONFLICT,
                    "bridge '%s' of network '%s' does not exist", target.bridge(), target.network()));
            if (req.tap().isPresent()) {
                awaitReaped(req.tap().get());
            }
            TapHandle handle = null;
            String tap;
            if (req.passFd()) {
                handle = makeTap(req, spec, s -> links.openTap(s, req.queues()));
                tap = handle.name();
                undo.add(handle::close);
            } else {
                tap = makeTap(req, spec, links::createTap);
                undo.add(() -> links.deleteLink(tap));
            }
            int mtu = target.mtu().orElse(bridge.mtu());
            long tTap = System.nanoTime();
            LinkRef plugged = attach(tap, tapMac, mtu, bridge);
            long tPlug = System.nanoTime();
            if (isolated) {
                links.setBridgePort(tap, BridgePortOptions.DEFAULTS.withIsolated(true));
            }
            if (req.ip().isPresent()) {
                List<DhcpConfig.StaticHost> hosts = reservations(target.network(), null);
                hosts.add(new DhcpConfig.StaticHost(req.mac(), null, req.ip().get()));
                dhcp.setReservations(target.network(), hosts);
                undo.add(() -> dhcp.setReservations(target.network(), reservations(target.network(), null)));
            }
            long t2 = System.nanoTime();
            PortDef pd = new PortDef(UUID.fromString(uuid), req.ownerName().orElse(tap),
                    req.ownerUuid().map(PortManager::ownerUuid).orElse(UUID.fromString(uuid)), target.portgroup(), req.mac(),
                    Optional.empty(), target.bandwidth(), target.vlan(), isolated ? Optional.of(true) : Optional.empty(),
                    target.trustGuestRxFilters(), target.plugType().equals("bridge")
                            ? new Plug.Bridge(target.bridge(), Optional.empty()) : new Plug.Network(target.bridge(), Optional.empty()));
            PortRecord r = new PortRecord(uuid, target.network(), target.networkUuid(), tap, tapMac.toString(), req.mac().toString(),
                    target.bridge(), target.plugType(), box(req.ownerUid()), box(req.ownerGid()), req.vnetHdr(), req.multiQueue(),
                    req.queues(), req.passFd(), target.portgroup().orElse(null), req.ip().map(a -> a.getHostAddress()).orElse(null),
                    isolated, target.mtu().orElse(null), notes, PortXml.format(pd), plugged.index());
            long t3 = System.nanoTime();
            store.save(r);
            ports.put(uuid, r);
            long t4 = System.nanoTime();
            if (LOG.isDebugEnabled()) {
                LOG.debug("port.create timing: tap {} us, plug {} us", (tTap - t1) / 1000, (tPlug - tTap) / 1000);
                LOG.debug("port.create timing: network {} us, kernel {} us, xml {} us, store {} us", (t1 - t0) / 1000,
                        (t2 - t1) / 1000, (t3 - t2) / 1000, (t4 - t3) / 1000);
            }
            String token = null;
            if (handle != null) {
                token = HexFormat.of().formatHex(nextToken());
                pending.put(token, new Pending(uuid, handle));
                String t = token;
                timers.schedule(() -> expire(t), FD_PICKUP_SECONDS, TimeUnit.SECONDS);
            }
            undo.clear();
            LOG.info("port {} created: {} ({}) on {} of network {}", uuid, tap, tapMac, target.bridge(), target.network());
            return port(r, Port.OK, token);
        } finally {
            undo.run();
            mutations.unlock();
        }
    }

    /**
     * Creates the tap under the name asked for, or under the next {@code vnetN} of our counter (as
     * libvirt's virNetDevGenerateName does: names move forward, a just-deleted tap's name is not handed
     * out again at once). TUNSETIFF is exclusive, so a name taken meanwhile is an EBUSY: an asked-for
     * name is then refused, a generated one skipped.
     */
    private <T> T makeTap(PortRequest req, TapSpec spec, java.util.function.Function<TapSpec, T> create) {
        if (req.tap().isPresent()) {
            try {
                return create.apply(spec);
            } catch (KernelException e) {
                if (e.errno() == EBUSY) {
                    throw VnetException.of(ErrorCode.CONFLICT, "interface '%s' already exists", req.tap().get());
                }
                throw e;
            }
        }
        for (int attempt = 1; ; attempt++) {
            String name = tapNames.next(n -> reaper.pending(n) || links.linkRef(n).isPresent());
            try {
                return create.apply(spec.withName(name));
            } catch (KernelException e) {
                if (e.errno() != EBUSY || attempt == NAME_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("tap name {} was taken meanwhile; trying the next", name);
            }
        }
    }

    /** A name asked for explicitly may belong to a deleted port's tap that still awaits the reaper: wait for it. */
    private void awaitReaped(String tap) {
        try {
            if (reaper.pending(tap) && !reaper.awaitReaped(tap, REAP_WAIT)) {
                throw VnetException.of(ErrorCode.CONFLICT, "interface '%s' of a deleted port is still being removed after %d s",
                        tap, REAP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VnetException.of(ErrorCode.INTERNAL, "interrupted while waiting for interface '%s' to be removed", tap);
        }
    }

    private byte[] nextToken() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    /** Plugs by the bridge's ifindex from the lookup just made (one kernel request, no second lookup). */
    private LinkRef attach(String tap, MacAddress mac, int mtu, LinkRef bridge) {
        try {
            try {
                return links.plugIntoBridge(tap, mac, mtu, bridge);
            } catch (KernelException e) {
                // deleted ports' taps stay (disabled) bridge ports until reaped: make room, then try once more
                if (e.errno() != EXFULL || !reaper.flush(REAP_WAIT)) {
                    throw e;
                }
                return links.plugIntoBridge(tap, mac, mtu, bridge);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VnetException.of(ErrorCode.INTERNAL, "interrupted while making room on bridge '%s'", bridge.name());
        } catch (KernelException e) {
            if (e.errno() == EXFULL) {
                throw VnetException.of(ErrorCode.CONFLICT,
                        "bridge '%s' is full: Linux allows at most 1023 ports on one bridge (EXFULL); delete a port first", bridge.name());
            }
            throw e;
        }
    }

    /** The reservations ports hold on {@code network}, leaving out port {@code except}. */
    private List<DhcpConfig.StaticHost> reservations(String network, String except) {
        List<DhcpConfig.StaticHost> out = new ArrayList<>();
        for (PortRecord r : ports.values()) {
            if (r.ip() != null && r.network().equals(network) && !r.uuid().equals(except)) {
                out.add(new DhcpConfig.StaticHost(MacAddress.parse(r.mac()), null,
                        (java.net.Inet4Address) org.vnetd.core.net.IpAddresses.parse(r.ip())));
            }
        }
        return out;
    }

    private static UUID ownerUuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "ownerUuid '" + s + "' is not a UUID");
        }
    }

    private static Integer box(OptionalInt v) {
        return v.isPresent() ? v.getAsInt() : null;
    }

    // ------------------------------------------------------------------ ports whose tap the client makes

    /**
     * A port whose tap its client makes and plugs (libvirt's virtqemud, through virNetworkPortCreateXML):
     * nothing is created in the kernel; the port is recorded under the client's uuid. Without
     * {@code reclaim} it must come without a plug and gets one, as libvirt's networkAllocatePort gives it: the
     * bridge to put the tap into, and the portgroup's (or network's) bandwidth, vlan, isolation and rx-filter
     * trust where the port says nothing. With {@code reclaim} it must come with its plug (a client restarted
     * with its guests running registers their ports again); a port already recorded under that uuid is then
     * replaced. Returns the port as recorded.
     */
    public PortDef register(String network, PortDef requested, boolean reclaim) {
        NetworkSummary net = driver.lookup(network);
        if (!net.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", net.name());
        }
        boolean plugged = !(requested.plug() instanceof Plug.None);
        if (reclaim && !plugged) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid argument: Port reclaim requested but plug type is none");
        }
        if (!reclaim && plugged) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid argument: Port reclaim not requested but plug type is not none");
        }
        PortTarget target = PortTarget.of(driver.definition(net.name(), false), requested.group());
        PortDef port = reclaim ? requested : new PortDef(requested.uuid(), requested.ownerName(), requested.ownerUuid(),
                requested.group(), requested.mac(), requested.virtualPort(), requested.bandwidth().or(target::bandwidth),
                requested.vlan().or(target::vlan),
                requested.isolated().or(() -> target.isolatedDefault() ? Optional.of(true) : Optional.empty()),
                requested.trustGuestRxFilters().or(target::trustGuestRxFilters), target.plugType().equals("bridge")
                        ? new Plug.Bridge(target.bridge(), Optional.empty()) : new Plug.Network(target.bridge(), Optional.empty()));
        String uuid = port.uuid().toString();
        List<String> notes = new ArrayList<>();
        notes.add(CLIENT_TAP_NOTE);
        port.bandwidth().ifPresent(b -> notes.add(BANDWIDTH_NOTE));
        port.vlan().ifPresent(v -> notes.add(VLAN_NOTE));
        PortRecord r = new PortRecord(uuid, net.name(), net.uuid(), null, null, port.mac().toString(),
                port.bridge().orElse(target.bridge()), port.plug().type(), null, null, false, false, 1, false,
                port.group().orElse(null), null, port.isolated().orElse(false), target.mtu().orElse(null), notes,
                PortXml.format(port), null);
        mutations.lock();
        try {
            PortRecord old = ports.get(uuid);
            if (old != null && !(reclaim && old.clientTap())) {
                throw VnetException.of(ErrorCode.PORT_EXISTS, "Network port with UUID %s already exists", uuid);
            }
            store.save(r);
            ports.put(uuid, r);
        } finally {
            mutations.unlock();
        }
        LOG.info("port {} {} for its client's tap on {} of network {}", uuid, reclaim ? "reclaimed" : "registered", r.bridge(),
                r.network());
        return port;
    }

    /**
     * Replaces a port's bandwidth (libvirt's networkPortSetParameters: the new values replace the old ones
     * as a whole; empty removes it). Recorded in the port's XML and kept across restarts; not applied to
     * the tap yet, as for every port (the port's notes say so).
     */
    public void setBandwidth(String network, String uuid, Optional<Bandwidth> bandwidth) {
        mutations.lock();
        try {
            PortRecord r = find(network, uuid);
            PortDef d = PortXml.parse(r.xml());
            PortDef changed = new PortDef(d.uuid(), d.ownerName(), d.ownerUuid(), d.group(), d.mac(), d.virtualPort(), bandwidth,
                    d.vlan(), d.isolated(), d.trustGuestRxFilters(), d.plug());
            List<String> notes = new ArrayList<>(r.notes());
            notes.remove(BANDWIDTH_NOTE);
            if (bandwidth.isPresent()) {
                notes.add(BANDWIDTH_NOTE);
            }
            PortRecord updated = new PortRecord(r.uuid(), r.network(), r.networkUuid(), r.tap(), r.tapMac(), r.mac(), r.bridge(),
                    r.plugType(), r.ownerUid(), r.ownerGid(), r.vnetHdr(), r.multiQueue(), r.queues(), r.passFd(), r.portgroup(),
                    r.ip(), r.isolated(), r.mtu(), notes, PortXml.format(changed), r.ifindex());
            store.save(updated);
            ports.put(r.uuid(), updated);
        } finally {
            mutations.unlock();
        }
        LOG.info("port {}: bandwidth {}", uuid, bandwidth.isPresent() ? "set (recorded, not applied yet)" : "removed");
    }

    // ------------------------------------------------------------------ fd pickup

    /** Hands the descriptors of a passFd port to {@code port.fd}; a token works once. */
    public FdReply takeFds(String token) {
        Pending p = token == null ? null : pending.remove(token);
        if (p == null) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "no port descriptors wait for this fdToken (used already, expired after "
                    + FD_PICKUP_SECONDS + " s, or never issued)");
        }
        return new FdReply(p.handle().fds(), p.handle()::close);
    }

    /** Descriptors nobody collected: close them (the tap goes away) and forget the port. */
    private void expire(String token) {
        Pending p = pending.remove(token);
        if (p == null) {
            return;
        }
        LOG.warn("port {}: its descriptors were not collected within {} s; removing the port", p.uuid(), FD_PICKUP_SECONDS);
        p.handle().close();
        try {
            delete(null, p.uuid(), false);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove uncollected port {}: {}", p.uuid(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ delete, list, xml

    /**
     * Retires the tap (if still there: down, queued for the reaper, in one kernel request),
     * removes the DHCP reservation and, when asked, the guest's leases. When this returns the port carries
     * no traffic and is forgotten; its net device is unregistered in the background (see {@link TapReaper}).
     */
    public void delete(String network, String uuid, boolean releaseLease) {
        long t0 = System.nanoTime();
        mutations.lock();
        try {
            PortRecord r = find(network, uuid);
            String state = state(r);
            boolean networkUp = state.equals("ok") || state.equals("tap-gone");
            long t1 = System.nanoTime();
            Optional<LinkRef> tap = ourTap(r);
            long t2 = System.nanoTime();
            if (tap.isPresent()) {
                try {
                    reaper.retire(tap.get());
                } catch (KernelException e) {
                    if (e.errno() != ENODEV) { // ENODEV: its holder closed it meanwhile
                        throw e;
                    }
                }
            }
            long t3 = System.nanoTime();
            MacAddress mac = MacAddress.parse(r.mac());
            if (networkUp) {
                if (r.ip() != null) {
                    try {
                        dhcp.setReservations(r.network(), reservations(r.network(), r.uuid()));
                    } catch (VnetException e) {
                        LOG.warn("port {}: cannot remove the DHCP reservation {}: {}", uuid, r.ip(), e.getMessage());
                    }
                }
                if (releaseLease) {
                    int n = dhcp.release(r.network(), mac);
                    LOG.info("port {}: released {} DHCP lease(s) of {}", uuid, n, mac);
                }
            }
            long t4 = System.nanoTime();
            store.delete(r.uuid());
            ports.remove(r.uuid());
            pending.values().removeIf(p -> {
                if (p.uuid().equals(r.uuid())) {
                    p.handle().close();
                    return true;
                }
                return false;
            });
            if (LOG.isDebugEnabled()) {
                LOG.debug("port.delete timing: lock+state {} us, lookup {} us, retire {} us, dhcp {} us, store {} us", (t1 - t0) / 1000,
                        (t2 - t1) / 1000, (t3 - t2) / 1000, (t4 - t3) / 1000, (System.nanoTime() - t4) / 1000);
            }
            LOG.info("port {} deleted ({})", r.uuid(), r.tap());
        } finally {
            mutations.unlock();
        }
    }

    /**
     * The port's tap, if it may still be there: by the ifindex it was given at creation (a tap that took
     * the name since has another index, and retiring ours then answers ENODEV); a port stored without an
     * index is looked up by name and checked to be ours.
     */
    private Optional<LinkRef> ourTap(PortRecord r) {
        if (r.clientTap()) {
            return Optional.empty(); // its client made it and removes it
        }
        if (r.ifindex() != null) {
            return Optional.of(new LinkRef(r.ifindex(), r.tap(), r.mtu() == null ? 0 : r.mtu()));
        }
        Optional<LinkInfo> tap = links.lookupLink(r.tap());
        return tap.filter(t -> t.isKind("tun") && !claimedByAnother(r) && isOurs(r, t)).map(LinkInfo::ref);
    }

    /**
     * A passFd port's tap disappears with its holder's descriptors, and the kernel may give the name to a
     * later port: that tap is the other port's, not ours to remove.
     */
    private boolean claimedByAnother(PortRecord r) {
        for (PortRecord o : ports.values()) {
            if (!o.uuid().equals(r.uuid()) && r.tap().equals(o.tap())) {
                LOG.info("port {}: its tap {} is gone and the name now belongs to port {}; leaving it", r.uuid(), r.tap(), o.uuid());
                return true;
            }
        }
        return false;
    }

    /**
     * A passFd tap vanishes when its holder closes it, and another program (libvirt, a script) may then
     * create a tap of that name: ours carries the MAC we gave it.
     */
    private static boolean isOurs(PortRecord r, LinkInfo tap) {
        if (!r.passFd() || tap.mac().map(m -> m.toString().equalsIgnoreCase(r.tapMac())).orElse(false)) {
            return true;
        }
        LOG.warn("port {}: tap {} now has MAC {}, not the port's {}: another program's tap took the name; leaving it", r.uuid(),
                r.tap(), tap.mac().map(Object::toString).orElse("(none)"), r.tapMac());
        return false;
    }

    /** Ports of one network (by name or uuid), or of every network when {@code network} is null. */
    private static Port port(PortRecord r, String state, String fdToken) {
        return new Port(r.uuid(), r.network(), r.tap(), r.tapMac(), r.mac(), r.bridge(), r.ownerUid(), r.ownerGid(),
                r.portgroup(), r.ip(), r.isolated(), r.mtu(), r.queues(), r.passFd(), state, r.notes(), fdToken);
    }

    public List<Port> list(String network) {
        String name = network == null ? null : resolveName(network);
        List<Port> out = new ArrayList<>();
        for (PortRecord r : ports.values()) {
            if (name == null || r.network().equals(name)) {
                out.add(port(r, state(r), null));
            }
        }
        out.sort(java.util.Comparator.comparing(Port::tap, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
                .thenComparing(Port::uuid));
        return out;
    }

    public String getXml(String network, String uuid) {
        return find(network, uuid).xml();
    }

    /** A network name for a name or uuid; a destroyed network's ports stay listable by its name. */
    private String resolveName(String network) {
        try {
            return driver.lookup(network).name();
        } catch (VnetException e) {
            for (PortRecord r : ports.values()) {
                if (r.network().equals(network) || r.networkUuid().equals(network)) {
                    return r.network();
                }
            }
            throw e;
        }
    }

    private PortRecord find(String network, String uuid) {
        if (uuid == null || uuid.isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "port uuid is empty");
        }
        PortRecord r = ports.get(uuid.toLowerCase(java.util.Locale.ROOT));
        if (r == null || (network != null && !r.network().equals(resolveName(network)))) {
            throw VnetException.of(ErrorCode.NO_SUCH_PORT, "network port not found: no network port with matching uuid '%s'", uuid);
        }
        return r;
    }

    private String state(PortRecord r) {
        NetworkSummary n;
        try {
            n = driver.lookup(r.network());
        } catch (VnetException e) {
            return "network-gone";
        }
        if (!n.uuid().equals(r.networkUuid())) {
            return "network-gone";
        }
        if (!n.active()) {
            return "network-inactive";
        }
        if (r.passFd() && links.getLink(r.tap()).isEmpty()) {
            return "tap-gone";
        }
        return "ok";
    }

    public int size() {
        return ports.size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        mutations.lock();
        try {
            store.close();
        } finally {
            mutations.unlock();
        }
        for (Pending p : pending.values()) {
            p.handle().close();
        }
        pending.clear();
    }

    /** Undo steps of a create that failed half way, run newest first. */
    private static final class Undo implements Runnable {
        private final List<Runnable> steps = new ArrayList<>();

        void add(Runnable r) {
            steps.add(r);
        }

        void clear() {
            steps.clear();
        }

        @Override
        public void run() {
            for (int i = steps.size() - 1; i >= 0; i--) {
                try {
                    steps.get(i).run();
                } catch (RuntimeException e) {
                    LOG.warn("undoing a failed port creation: {}", e.getMessage());
                }
            }
            steps.clear();
        }
    }
}
