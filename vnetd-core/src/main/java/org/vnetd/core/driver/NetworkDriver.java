package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.plan.Plan;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The network state machine with libvirt's semantics (bridge_driver.c): define, undefine, create,
 * start, destroy, autostart, XML, update, metadata, leases, events, and recovery after a restart.
 * Operations on one network run one at a time (per-name lock); different networks in parallel.
 * Everything that touches the system is an {@link Action} of the {@link Plan} the {@link Planner} makes
 * from the live definition, run by the {@link Executor} through the {@link ActionBackends}; the applied
 * actions themselves are persisted, so teardown and adoption never depend on planning the same way again.
 */
public final class NetworkDriver {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final DefinitionStore definitions;
    private final StatusStore statuses;
    private final Planner planner;
    private final ActionBackends backends;
    private final KernelObserver kernel;
    private final Consumer<NetworkEvent> events;
    private final LeaseSource leases;
    private final ServiceHealth health;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final NetworkIdentity identity;

    private final ConcurrentHashMap<String, NetworkEntry> networks = new ConcurrentHashMap<>();
    private final NetworkLocks locks = new NetworkLocks(120_000);
    /** Serializes name/uuid/bridge assignment across networks (define and create only). */
    private final Object identityLock = new Object();

    public NetworkDriver(DefinitionStore definitions, StatusStore statuses, Planner planner, ActionBackends backends, KernelObserver kernel,
            Consumer<NetworkEvent> events, LeaseSource leases, LongSupplier clock, RandomGenerator random) {
        this(definitions, statuses, planner, backends, kernel, events, leases, ServiceHealth.none(), clock, random);
    }

    public NetworkDriver(DefinitionStore definitions, StatusStore statuses, Planner planner, ActionBackends backends, KernelObserver kernel,
            Consumer<NetworkEvent> events, LeaseSource leases, ServiceHealth health, LongSupplier clock, RandomGenerator random) {
        this.health = health;
        this.definitions = definitions;
        this.statuses = statuses;
        this.planner = planner;
        this.backends = backends;
        this.kernel = kernel;
        this.events = events;
        this.leases = leases;
        this.clock = clock;
        this.random = random;
        this.identity = new NetworkIdentity(kernel);
    }

    // ------------------------------------------------------------------ lookup and listing

    public List<NetworkSummary> list() {
        List<NetworkSummary> out = new ArrayList<>();
        for (NetworkEntry e : networks.values()) {
            out.add(summary(e));
        }
        out.sort(Comparator.comparing(NetworkSummary::name));
        return out;
    }

    public NetworkSummary lookup(String network) {
        return summary(find(network));
    }

    public String getXml(String network, boolean inactive) {
        return NetworkXml.format(definition(network, inactive), inactive);
    }

    /**
     * The definition {@link #getXml} formats: the persistent one with {@code inactive} (when there is one),
     * else the live one of a running network, else the persistent one. It is the driver's own instance, so
     * reading it costs nothing; the driver replaces a definition it keeps, never changes it, and callers must
     * not change it either ({@link NetworkDef#copy()} first).
     */
    public NetworkDef definition(String network, boolean inactive) {
        NetworkEntry e = find(network);
        return inactive && e.persistent != null ? e.persistent : e.current();
    }

    public List<Lease> dhcpLeases(String network, String mac) {
        NetworkEntry e = find(network);
        if (!e.active()) {
            return List.of();
        }
        List<Lease> all = leases.leases(e.name);
        if (mac == null) {
            return all;
        }
        String want = org.vnetd.core.net.MacAddress.parse(mac).toString();
        return all.stream().filter(l -> want.equalsIgnoreCase(l.mac())).toList();
    }

    private NetworkSummary summary(NetworkEntry e) {
        NetworkDef d = e.current();
        boolean active = e.active();
        return new NetworkSummary(e.name, e.uuid.toString(), active, e.persistentDefined(), e.autostart,
                d == null ? null : d.bridgeName().orElse(null), d == null ? null : d.getTitle(),
                active ? health.problem(e.name).orElse(null) : null);
    }

    /**
     * A running network's service stopped serving or serves again (see {@link ServiceHealth}): tell
     * subscribers. Takes no network lock: the services call it from their own threads.
     */
    public void serviceHealthChanged(String network) {
        NetworkEntry e = networks.get(network);
        if (e == null || !e.active()) {
            return; // being started or adopted (a failure then fails or is logged there), or gone
        }
        Optional<String> problem = health.problem(network);
        if (problem.isPresent()) {
            LOG.warn("network '{}' is degraded: {}", network, problem.get());
        } else {
            LOG.info("network '{}': its services serve again", network);
        }
        emit(e, NetworkEvent.SERVICE_HEALTH, problem.isPresent() ? NetworkEvent.DEGRADED : NetworkEvent.REPAIRED);
    }

    /** By name first, then by UUID (libvirt's virsh does the same). */
    NetworkEntry find(String network) {
        if (network == null || network.isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "network name or uuid is empty");
        }
        NetworkEntry e = networks.get(network);
        if (e != null) {
            return e;
        }
        Optional<UUID> uuid = parseUuid(network);
        if (uuid.isPresent()) {
            for (NetworkEntry n : networks.values()) {
                if (n.uuid.equals(uuid.get())) {
                    return n;
                }
            }
            throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching uuid '%s'", network);
        }
        throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name '%s'", network);
    }

    private static Optional<UUID> parseUuid(String s) {
        if (s.length() != 36 && s.length() != 32) {
            return Optional.empty();
        }
        try {
            String t = s.length() == 32 ? s.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5") : s;
            return Optional.of(UUID.fromString(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code action} under the lock of the network named or identified by {@code network}. */
    private <T> T locked(String network, java.util.function.Function<NetworkEntry, T> action) {
        String name = find(network).name;
        return locks.with(name, () -> {
            NetworkEntry e = networks.get(name);
            if (e == null) {
                throw VnetException.of(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name '%s'", name);
            }
            return action.apply(e);
        });
    }

    // ------------------------------------------------------------------ define / undefine

    public NetworkSummary define(String xml) {
        long t0 = System.nanoTime();
        NetworkDef def = NetworkXml.parse(xml);
        String name = NetworkNames.check(def.name());
        return locks.with(name, () -> {
            long t1 = System.nanoTime();
            NetworkEntry old = networks.get(name);
            NetworkEntry entry;
            synchronized (identityLock) {
                identity.assign(def, old, networks.values());
                NetworkXml.validate(def, random);
                entry = old != null ? old : new NetworkEntry(name, def.uuid());
                long t2 = System.nanoTime();
                String formatted = NetworkXml.format(def, true);
                long t3 = System.nanoTime();
                definitions.save(name, formatted);
                entry.persistent = def;
                networks.put(name, entry);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("network '{}': parse {} us, identity+validate {} us, format {} us, save {} us", name, (t1 - t0) / 1000,
                            (t2 - t1) / 1000, (t3 - t2) / 1000, (System.nanoTime() - t3) / 1000);
                }
            }
            LOG.info("defined network '{}' ({})", name, entry.uuid);
            emit(entry, NetworkEvent.LIFECYCLE, NetworkEvent.DEFINED);
            return summary(entry);
        });
    }

    public void undefine(String network) {
        locked(network, e -> {
            if (!e.persistentDefined()) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "Requested operation is not valid: can't undefine transient network '%s'", e.name);
            }
            definitions.delete(e.name);
            e.persistent = null;
            e.autostart = false;
            if (e.active()) {
                // a running network outlives its definition, as a transient one (libvirt)
                saveStatus(e, e.status.withPersistent(false));
            } else {
                networks.remove(e.name);
            }
            LOG.info("undefined network '{}'", e.name);
            emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.UNDEFINED);
            return null;
        });
    }

    public void setAutostart(String network, boolean autostart) {
        locked(network, e -> {
            if (!e.persistentDefined()) {
                throw new VnetException(ErrorCode.INVALID_ARGUMENT, "Requested operation is not valid: cannot set autostart for transient network");
            }
            definitions.setAutostart(e.name, autostart);
            e.autostart = autostart;
            return null;
        });
    }

    /**
     * What libvirt writes into a running network's live XML: a NAT network shows the source-port
     * range its masquerading uses, {@code <nat><port start='1024' end='65535'/></nat>}, when the
     * definition gave none (the inactive XML stays as defined). The firewall plan is the same either way.
     */
    static void fillLiveDefaults(NetworkDef live) {
        if (live.forwardMode() != ForwardMode.NAT) {
            return;
        }
        List<NatDef> nats = live.getForward().getNats();
        if (nats.isEmpty()) {
            nats.add(new NatDef());
        }
        List<NatPortDef> ports = nats.getFirst().getPorts();
        if (ports.isEmpty()) {
            NatPortDef p = new NatPortDef();
            p.setStart("1024");
            p.setEnd("65535");
            ports.add(p);
        }
    }

    // ------------------------------------------------------------------ start / create / destroy

    public void start(String network) {
        locked(network, e -> {
            if (e.active()) {
                throw new VnetException(ErrorCode.NETWORK_ACTIVE, "Requested operation is not valid: network is already active");
            }
            startLocked(e, e.persistent.copy());
            return null;
        });
    }

    /** A transient network: started from the XML, never stored in the config dir. */
    public NetworkSummary create(String xml) {
        NetworkDef def = NetworkXml.parse(xml);
        String name = NetworkNames.check(def.name());
        return locks.with(name, () -> {
            NetworkEntry old = networks.get(name);
            if (old != null && old.active()) {
                throw VnetException.of(ErrorCode.NETWORK_ACTIVE, "Requested operation is not valid: network '%s' is already active", name);
            }
            NetworkEntry entry;
            synchronized (identityLock) {
                identity.assign(def, old, networks.values());
                NetworkXml.validate(def, random);
                entry = old != null ? old : new NetworkEntry(name, def.uuid());
                networks.put(name, entry);
            }
            try {
                startLocked(entry, def);
            } catch (RuntimeException ex) {
                if (!entry.persistentDefined()) {
                    networks.remove(name);
                }
                throw ex;
            }
            return summary(entry);
        });
    }

    private void startLocked(NetworkEntry e, NetworkDef live) {
        long t0 = System.nanoTime();
        fillLiveDefaults(live);
        Collection<NetworkDef> others = networks.values().stream()
                .filter(n -> n != e && n.active()).map(n -> n.live).toList();
        List<String> names = new ArrayList<>(2);
        live.bridgeName().ifPresent(names::add);
        live.forwardDev().ifPresent(names::add);
        Conflicts.check(live, kernel.observe(names), others);
        long t1 = System.nanoTime();
        Plan plan = planner.plan(live);
        long t2 = System.nanoTime();
        NetworkStatus status = new NetworkStatus(e.name, e.uuid.toString(), NetworkXml.format(live, false),
                e.persistentDefined(), false, plan.actions().stream().map(Applied::intended).toList(), clock.getAsLong());
        // an intent record: on disk before the first action, so a crash at any point leaves the whole
        // plan, which a restarted daemon rolls back (undo tolerates what is not there).
        // One write here and one at the end, instead of one per action: each is an fsync.
        statuses.save(status);
        if (LOG.isDebugEnabled()) {
            LOG.debug("network '{}': conflict check {} us, plan {} us, intent record {} us", e.name, (t1 - t0) / 1000,
                    (t2 - t1) / 1000, (System.nanoTime() - t2) / 1000);
        }
        List<Applied<Action>> applied;
        try {
            applied = Executor.applyAll(subject(e.name), plan.actions(), backends.forNetwork(live), Action::describe);
        } catch (RuntimeException ex) {
            deleteStatusQuietly(e.name);
            throw ex;
        }
        NetworkStatus complete = status.withApplied(applied, true);
        statuses.save(complete);
        e.status = complete;
        e.live = live;
        LOG.info("started network '{}' in {} ms", e.name, (System.nanoTime() - t0) / 1_000_000);
        emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.STARTED);
    }

    public void destroy(String network) {
        locked(network, e -> {
            if (!e.active()) {
                throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", e.name);
            }
            List<RuntimeException> errors = stopLocked(e);
            emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.STOPPED);
            if (!errors.isEmpty()) {
                VnetException first = errors.getFirst() instanceof VnetException v ? v
                        : new VnetException(ErrorCode.INTERNAL, errors.getFirst().toString(), errors.getFirst());
                VnetException report = new VnetException(first.code(), "network '" + e.name + "' stopped, but "
                        + errors.size() + " teardown step(s) failed; first: " + first.getMessage(), first);
                errors.stream().skip(1).forEach(report::addSuppressed);
                throw report;
            }
            return null;
        });
    }

    /** Undoes every applied action (continuing past failures), marks the network inactive. */
    private List<RuntimeException> stopLocked(NetworkEntry e) {
        List<RuntimeException> errors = Executor.undoAll(subject(e.name), e.status.applied(), backends.forNetwork(e.live),
                Action::describe);
        deleteStatusQuietly(e.name);
        e.live = null;
        e.status = null;
        if (!e.persistentDefined()) {
            networks.remove(e.name);
        }
        LOG.info("stopped network '{}'", e.name);
        return errors;
    }

    // ------------------------------------------------------------------ update and metadata

    /** What {@code network.update} changed. */
    public record UpdateResult(boolean live, boolean config) {
    }

    public UpdateResult update(String network, String command, String section, int parentIndex, String xml,
            boolean live, boolean config) {
        return locked(network, e -> {
            UpdateResult impact = impact(e, live, config);
            boolean doLive = impact.live();
            boolean doConfig = impact.config();
            NetworkDef newConfig = null;
            NetworkDef newLive = null;
            // compute both first, so a refused change alters neither
            if (doConfig) {
                newConfig = e.persistent.copy();
                NetworkEdits.update(newConfig, command, section, parentIndex, xml);
                NetworkXml.validate(newConfig, random);
            }
            if (doLive) {
                newLive = e.live.copy();
                NetworkEdits.update(newLive, command, section, parentIndex, xml);
                NetworkXml.validate(newLive, random);
            }
            // persist first, then apply: a change that cannot be stored must not run (it would report
            // failure yet be live, and vanish at the next restart)
            PersistedChange saved = PersistedChange.write(definitions, statuses, e, newLive, newConfig);
            if (newLive != null) {
                try {
                    backends.liveUpdate(e.live, newLive, section);
                } catch (RuntimeException ex) {
                    saved.restore(ex);
                    throw ex;
                }
            }
            saved.commit();
            return new UpdateResult(doLive, doConfig);
        });
    }

    /**
     * Which copies a change touches (libvirt's virNetworkObjUpdateModificationImpact), shared by net-update and
     * net-metadata: neither flag means VIR_NETWORK_UPDATE_AFFECT_CURRENT, the running network if active, else
     * the definition; a live change needs a running network, a config change a persistent one.
     */
    private static UpdateResult impact(NetworkEntry e, boolean live, boolean config) {
        boolean doLive = live;
        boolean doConfig = config;
        if (!live && !config) {
            doLive = e.active();
            doConfig = !e.active();
        }
        if (doLive && !e.active()) {
            throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not running", e.name);
        }
        if (doConfig && !e.persistentDefined()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "Requested operation is not valid: cannot change persistent config of a transient network");
        }
        return new UpdateResult(doLive, doConfig);
    }

    public Optional<String> getMetadata(String network, String type, String uri, boolean inactive) {
        NetworkEntry e = find(network);
        NetworkDef def = inactive && e.persistent != null ? e.persistent : e.current();
        return NetworkEdits.getMetadata(def, type, uri);
    }

    public void setMetadata(String network, String type, String value, String key, String uri, boolean live, boolean config) {
        locked(network, e -> {
            UpdateResult impact = impact(e, live, config);
            boolean doLive = impact.live();
            boolean doConfig = impact.config();
            NetworkDef newConfig = doConfig ? e.persistent.copy() : null;
            NetworkDef newLive = doLive ? e.live.copy() : null;
            if (newConfig != null) {
                NetworkEdits.setMetadata(newConfig, type, value, key, uri);
            }
            if (newLive != null) {
                NetworkEdits.setMetadata(newLive, type, value, key, uri);
            }
            PersistedChange.write(definitions, statuses, e, newLive, newConfig).commit();
            emit(e, NetworkEvent.METADATA_CHANGE, type, "element".equals(type) ? uri : null);
            return null;
        });
    }

    // ------------------------------------------------------------------ firewall reload

    /** Re-applies what {@link org.vnetd.core.plan.Effects#reload} covers (firewall rules) for every running network. */
    public void reload() {
        for (String name : List.copyOf(networks.keySet())) {
            try {
                locks.run(name, () -> {
                    NetworkEntry e = networks.get(name);
                    if (e == null || !e.active()) {
                        return;
                    }
                    saveStatus(e, e.status.withApplied(Executor.reloadAll(e.status.applied(), backends.forNetwork(e.live)), true));
                });
            } catch (Exception ex) {
                LOG.error("reload of network '{}' failed: {}", name, ex.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ recovery at daemon start

    /**
     * Loads definitions and status files and takes over running networks without touching them:
     * a half-made start (crash mid-start) is undone, a network whose bridge is gone is marked
     * inactive, the others are adopted (their actions check for drift and restart in-process
     * services). Unreadable files are set aside and reported; they never stop the others.
     */
    public void recover() {
        for (DefinitionStore.Stored s : definitions.loadAll()) {
            if (s.problem() != null) {
                definitions.setAside(s.name(), s.problem());
                continue;
            }
            try {
                NetworkDef def = NetworkXml.parse(s.xml());
                if (!s.name().equals(def.name())) {
                    throw VnetException.of(ErrorCode.XML_VALIDATION, "file %s.xml defines network '%s'", s.name(), def.name());
                }
                if (def.uuid() == null) {
                    def.setUuid(UUID.randomUUID().toString());
                }
                NetworkXml.validate(def, random);
                NetworkEntry e = new NetworkEntry(def.name(), def.uuid());
                e.persistent = def;
                e.autostart = s.autostart();
                networks.put(e.name, e);
            } catch (Exception ex) {
                String where = definitions.setAside(s.name(), ex.getMessage());
                LOG.error("network definition '{}' cannot be used and was moved to {}: {}", s.name(), where, ex.getMessage());
            }
        }
        KernelView view = kernel.observe();
        List<NetworkStatus> loaded = new ArrayList<>();
        for (StatusStore.Loaded l : statuses.loadAll()) {
            if (l.problem() != null) {
                statuses.setAside(l.name(), l.problem());
            } else {
                loaded.add(l.status());
            }
        }
        // adopt the running networks first, then undo the half-made and orphaned ones: an undo
        // (e.g. removing the last firewall rules) must never see running networks it does not know yet
        List<NetworkStatus> adoptFirst = new ArrayList<>(loaded.stream().filter(st -> isAdoptable(st, view)).toList());
        loaded.stream().filter(st -> !isAdoptable(st, view)).forEach(adoptFirst::add);
        for (NetworkStatus st : adoptFirst) {
            try {
                locks.run(st.name(), () -> recoverOne(st, view));
            } catch (Exception ex) {
                LOG.error("cannot take over running network '{}': {}", st.name(), ex.getMessage());
            }
        }
    }

    private static boolean isAdoptable(NetworkStatus st, KernelView view) {
        if (!st.complete()) {
            return false;
        }
        try {
            NetworkDef live = NetworkXml.parse(st.liveXml());
            return !live.forwardMode().hasBridge() || live.bridgeName().map(view::hasLink).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void recoverOne(NetworkStatus st, KernelView view) {
        NetworkDef live = NetworkXml.parse(st.liveXml());
        Effects<Action> effects = backends.forNetwork(live);
        if (!st.complete()) {
            LOG.warn("network '{}' was being started when the daemon stopped; undoing whatever of its {} action(s) was applied",
                    st.name(), st.applied().size());
            Executor.rollbackAll(subject(st.name()), st.applied(), effects, Action::describe);
            statuses.delete(st.name());
            return;
        }
        String bridge = live.bridgeName().orElse(null);
        if (live.forwardMode().hasBridge() && bridge != null && !view.hasLink(bridge)) {
            LOG.warn("network '{}': bridge '{}' is gone; marking the network inactive", st.name(), bridge);
            Executor.undoAll(subject(st.name()), st.applied(), effects, Action::describe);
            statuses.delete(st.name());
            return;
        }
        NetworkEntry e = networks.get(st.name());
        if (e == null) {
            e = new NetworkEntry(st.name(), UUID.fromString(st.uuid()));
            networks.put(e.name, e);
        }
        List<Applied<Action>> adopted = Executor.adoptAll(subject(st.name()), st.applied(), effects, Action::describe);
        e.live = live;
        e.status = st.withApplied(adopted, true).withPersistent(e.persistentDefined());
        statuses.save(e.status);
        LOG.info("adopted running network '{}'", e.name);
    }

    /** Starts every autostart network that is not running; failures are logged, not fatal. */
    public void autostart() {
        for (NetworkEntry e : List.copyOf(networks.values())) {
            if (e.autostart && !e.active()) {
                try {
                    start(e.name);
                } catch (Exception ex) {
                    LOG.error("autostart of network '{}' failed: {}", e.name, ex.getMessage());
                }
            }
        }
    }

    /**
     * Defines {@code default} from the given XML with autostart, moving it to the next free
     * 192.168.N.0/24 when 192.168.122.0/24 is already routed on the host (as libvirt's packaging does).
     */
    public Optional<NetworkSummary> defineDefault(String defaultXml) {
        if (!networks.isEmpty()) {
            return Optional.empty();
        }
        List<org.vnetd.core.net.IpPrefix> routed = kernel.observe().routes().stream()
                .map(KernelView.Route::destination).filter(p -> p.length() > 0).toList();
        org.vnetd.core.net.IpPrefix subnet = SubnetChooser.choose(routed).orElseThrow(() ->
                new VnetException(ErrorCode.CONFLICT, "every 192.168.N.0/24 is routed on this host; no subnet for the default network"));
        String xml = defaultXml;
        String third = subnet.address().getHostAddress().split("\\.")[2];
        if (!third.equals("122")) {
            xml = xml.replace("192.168.122.", "192.168." + third + ".");
            LOG.info("192.168.122.0/24 is in use on this host; the default network uses {}", subnet);
        }
        NetworkSummary s = define(xml);
        setAutostart(s.name(), true);
        return Optional.of(lookup(s.name()));
    }

    // ------------------------------------------------------------------ helpers

    private static String subject(String network) {
        return "network '" + network + "'";
    }

    private void saveStatus(NetworkEntry e, NetworkStatus s) {
        statuses.save(s);
        e.status = s;
    }

    private void deleteStatusQuietly(String name) {
        try {
            statuses.delete(name);
        } catch (RuntimeException ex) {
            LOG.error("cannot delete the status of '{}': {}", name, ex.getMessage());
        }
    }

    private void emit(NetworkEntry e, String event, String detail) {
        emit(e, event, detail, null);
    }

    private void emit(NetworkEntry e, String event, String detail, String uri) {
        try {
            events.accept(new NetworkEvent(e.name, e.uuid.toString(), event, detail, clock.getAsLong(), uri));
        } catch (RuntimeException ex) {
            LOG.warn("event delivery failed: {}", ex.toString());
        }
    }
}
