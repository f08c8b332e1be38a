package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.Collisions;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.plan.ObservedState;
import org.vnetd.core.plan.OvnPlan;
import org.vnetd.core.plan.Plan;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.plan.TakeoverPlan;
import org.vnetd.core.plan.UnappliedElements;
import org.vnetd.core.pool.ForwardPool;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * A network's life (libvirt's bridge_driver.c): define and undefine its definition, set autostart,
 * start it (or create a transient one) through its {@link Plan}, destroy it by undoing the applied
 * actions. Name, uuid and bridge are assigned by {@link NetworkIdentity} under one lock across networks.
 */
final class NetworkLifecycle {
    // the driver's category: operators see one logger for the network state machine
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final KnownNetworks networks;
    private final DefinitionStore definitions;
    private final StatusStore statuses;
    private final Planner planner;
    private final ActionBackends backends;
    private final KernelObserver kernel;
    private final LongSupplier clock;
    private final RandomGenerator random;
    private final SafeXml xmlParser;
    private final NetworkIdentity identity;
    /** Serializes name/uuid/bridge assignment across networks (define and create only). */
    private final Object identityLock = new Object();

    NetworkLifecycle(KnownNetworks networks, DefinitionStore definitions, StatusStore statuses, Planner planner,
            ActionBackends backends, KernelObserver kernel, LongSupplier clock, RandomGenerator random, SafeXml xmlParser) {
        this.networks = networks;
        this.definitions = definitions;
        this.statuses = statuses;
        this.planner = planner;
        this.backends = backends;
        this.kernel = kernel;
        this.clock = clock;
        this.random = random;
        this.xmlParser = xmlParser;
        this.identity = new NetworkIdentity(kernel);
    }

    NetworkSummary define(String xml) {
        long t0 = System.nanoTime();
        NetworkDef def = NetworkXml.parse(xml, xmlParser);
        String name = NetworkNames.check(def.name());
        return networks.withLock(name, () -> {
            long t1 = System.nanoTime();
            NetworkEntry old = networks.get(name);
            NetworkEntry entry;
            synchronized (identityLock) {
                identity.assign(def, old, networks.all());
                NetworkXml.validate(def, random);
                UnappliedElements.checkDefine(def);
                entry = old != null ? old : new NetworkEntry(name, def.uuid());
                long t2 = System.nanoTime();
                String formatted = NetworkXml.format(def, true);
                long t3 = System.nanoTime();
                definitions.save(name, formatted);
                entry.persistent = def;
                networks.put(entry);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("network '{}': parse {} us, identity+validate {} us, format {} us, save {} us", name, (t1 - t0) / 1000,
                            (t2 - t1) / 1000, (t3 - t2) / 1000, (System.nanoTime() - t3) / 1000);
                }
            }
            LOG.info("defined network '{}' ({})", name, entry.uuid);
            networks.emit(entry, NetworkEvent.LIFECYCLE, NetworkEvent.DEFINED);
            return networks.summary(entry);
        });
    }

    void undefine(String network) {
        networks.locked(network, e -> {
            if (!e.persistentDefined()) {
                // libvirt's words, without the name: virsh and vnetctl print it after "Failed to undefine network NAME"
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "Requested operation is not valid: can't undefine transient network");
            }
            definitions.delete(e.name);
            e.persistent = null;
            e.autostart = false;
            if (e.active()) {
                // a running network outlives its definition, as a transient one (libvirt)
                networks.saveStatus(e, e.status.withPersistent(false));
            } else {
                networks.remove(e.name);
            }
            LOG.info("undefined network '{}'", e.name);
            networks.emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.UNDEFINED);
            return null;
        });
    }

    void setAutostart(String network, boolean autostart) {
        networks.locked(network, e -> {
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

    void start(String network) {
        networks.locked(network, e -> {
            if (e.active()) {
                throw new VnetException(ErrorCode.NETWORK_ACTIVE, "Requested operation is not valid: network is already active");
            }
            startLocked(e, NetworkXml.copy(e.persistent));
            return null;
        });
    }

    /** A transient network: started from the XML, never stored in the config dir. */
    NetworkSummary create(String xml) {
        return startFromXml(xml, def -> null);
    }

    /**
     * A network libvirt runs now, started in vnetd from libvirt's live XML by taking over what runs
     * ({@link TakeoverPlan}); a persistent one was defined first, a transient one is created here and is
     * gone again if the takeover fails.
     */
    NetworkSummary takeOver(String liveXml, Function<NetworkDef, Action.ReleaseFromLibvirt> release) {
        return startFromXml(liveXml, release);
    }

    /**
     * Starts a network of {@code xml} (its identity kept from a definition of that name, else assigned); one that
     * was not defined is forgotten again if the start fails. {@code release} gives libvirt's letting go for a
     * takeover, null for a start of our own.
     */
    private NetworkSummary startFromXml(String xml, Function<NetworkDef, Action.ReleaseFromLibvirt> release) {
        NetworkDef def = NetworkXml.parse(xml, xmlParser);
        String name = NetworkNames.check(def.name());
        return networks.withLock(name, () -> {
            NetworkEntry old = networks.get(name);
            if (old != null && old.active()) {
                throw VnetException.of(ErrorCode.NETWORK_ACTIVE, "Requested operation is not valid: network '%s' is already active", name);
            }
            NetworkEntry entry;
            synchronized (identityLock) {
                identity.assign(def, old, networks.all());
                NetworkXml.validate(def, random);
                // before libvirt is asked to let go of a network vnetd would not run as it runs now
                UnappliedElements.check(def);
                entry = old != null ? old : new NetworkEntry(name, def.uuid());
                networks.put(entry);
            }
            try {
                startLocked(entry, def, release.apply(def));
            } catch (RuntimeException ex) {
                if (!entry.persistentDefined()) {
                    networks.remove(name);
                }
                throw ex;
            }
            return networks.summary(entry);
        });
    }

    private void startLocked(NetworkEntry e, NetworkDef live) {
        startLocked(e, live, null);
    }

    /** @param release null for a start; for a takeover, libvirt's letting go ({@link TakeoverPlan}) */
    private void startLocked(NetworkEntry e, NetworkDef live, Action.ReleaseFromLibvirt release) {
        long t0 = System.nanoTime();
        UnappliedElements.check(live);
        fillLiveDefaults(live);
        List<ObservedState.RunningNetwork> others = networks.all().stream()
                // a network on OVN holds no bridge, subnet or route on this host to collide with
                .filter(n -> n != e && n.active() && n.live.ovn().isEmpty()).map(n -> ObservedState.RunningNetwork.of(n.live)).toList();
        List<String> names = new ArrayList<>(2);
        live.bridgeName().ifPresent(names::add);
        live.forwardDev().ifPresent(names::add);
        names.addAll(ForwardPool.hostInterfaces(live));
        ObservedState observed = new ObservedState(kernel.observe(names), others);
        long t1 = System.nanoTime();
        Plan plan;
        if (live.ovn().isPresent()) {
            if (release != null) {
                throw VnetException.of(ErrorCode.INTERNAL, "network '%s': libvirt runs no network on OVN", e.name);
            }
            plan = OvnPlan.of(live);
        } else if (release == null) {
            plan = planner.plan(live, observed);
        } else {
            // what runs is libvirt's: its bridge must be there, and the plan is taken over rather than applied
            Collisions.check(live, observed, true);
            plan = TakeoverPlan.of(planner.plan(live), release);
        }
        if (ForwardPool.usesPool(live)) {
            ForwardPool.of(live, kernel::virtualFunctions); // a <pf> without a usable VF is refused at start, as libvirt does
        }
        long t2 = System.nanoTime();
        NetworkStatus status = new NetworkStatus(e.name, e.uuid.toString(), NetworkXml.format(live, false),
                e.persistentDefined(), false, plan.actions().stream().map(Applied::intended).toList(), clock.getAsLong());
        // an intent record: on disk before the first action, so a crash at any point leaves the whole
        // plan, which a restarted daemon rolls back (undo tolerates what is not there). The completion
        // at the end adds only the actions' records to it, instead of one write per action or a second
        // whole status: what tells a started network from a half-made one is that completion.
        statuses.saveIntent(status);
        if (LOG.isDebugEnabled()) {
            LOG.debug("network '{}': observe {} us, plan (collisions checked) {} us, intent record {} us", e.name, (t1 - t0) / 1000,
                    (t2 - t1) / 1000, (System.nanoTime() - t2) / 1000);
        }
        List<Applied<Action>> applied;
        Effects<Action> effects = backends.forNetwork(live);
        try {
            applied = Executor.applyAll(KnownNetworks.subject(e.name), plan.actions(), effects, Action::describe);
        } catch (RuntimeException ex) {
            networks.deleteStatusQuietly(e.name);
            throw ex;
        }
        NetworkStatus complete = status.withApplied(applied, true);
        statuses.saveCompletion(complete);
        Executor.commitAll(KnownNetworks.subject(e.name), applied, effects, Action::describe);
        e.status = complete;
        e.live = live;
        LOG.info("{} network '{}' in {} ms", release == null ? "started" : "took over", e.name, (System.nanoTime() - t0) / 1_000_000);
        networks.emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.STARTED);
    }

    void destroy(String network) {
        networks.locked(network, e -> {
            if (!e.active()) {
                throw VnetException.of(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network '%s' is not active", e.name);
            }
            List<RuntimeException> errors = stopLocked(e);
            networks.emit(e, NetworkEvent.LIFECYCLE, NetworkEvent.STOPPED);
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
        List<RuntimeException> errors = Executor.undoAll(KnownNetworks.subject(e.name), e.status.applied(), backends.forNetwork(e.live),
                Action::describe);
        networks.deleteStatusQuietly(e.name);
        e.live = null;
        e.status = null;
        if (!e.persistentDefined()) {
            networks.remove(e.name);
        }
        LOG.info("stopped network '{}'", e.name);
        return errors;
    }
}
