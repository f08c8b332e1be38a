package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.plan.NetworkPlanner;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * At daemon start: loads the definitions and status files and takes over the running networks without
 * touching them (see {@link #recover}).
 */
final class NetworkRecovery {
    // the driver's category: operators see one logger for the network state machine
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final KnownNetworks networks;
    private final DefinitionStore definitions;
    private final StatusStore statuses;
    private final ActionBackends backends;
    private final KernelObserver kernel;
    private final RandomGenerator random;
    private final SafeXml xmlParser;

    NetworkRecovery(KnownNetworks networks, DefinitionStore definitions, StatusStore statuses, ActionBackends backends,
            KernelObserver kernel, RandomGenerator random, SafeXml xmlParser) {
        this.networks = networks;
        this.definitions = definitions;
        this.statuses = statuses;
        this.backends = backends;
        this.kernel = kernel;
        this.random = random;
        this.xmlParser = xmlParser;
    }

    /**
     * Loads definitions and status files and takes over running networks without touching them:
     * a half-made start (crash mid-start) is undone, a network whose bridge is gone is marked
     * inactive, the others are adopted (their actions check for drift and restart in-process
     * services). Unreadable files are set aside and reported; they never stop the others.
     */
    void recover() {
        for (DefinitionStore.Stored s : definitions.loadAll()) {
            if (s.problem() != null) {
                definitions.setAside(s.name(), s.problem());
                continue;
            }
            try {
                NetworkDef def = NetworkXml.parse(s.xml(), xmlParser);
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
                networks.put(e);
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
                networks.runLocked(st.name(), () -> recoverOne(st, view));
            } catch (Exception ex) {
                LOG.error("cannot take over running network '{}': {}", st.name(), ex.getMessage());
            }
        }
    }

    private boolean isAdoptable(NetworkStatus st, KernelView view) {
        if (!st.complete()) {
            return false;
        }
        try {
            NetworkDef live = NetworkXml.parse(st.liveXml(), xmlParser);
            // a network on OVN has no bridge here: its rows are in the northbound database, which adoption joins again
            return !live.forwardMode().hasBridge() || live.ovn().isPresent() || live.bridgeName().map(view::hasLink).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A network started by a vnetd that did not apply {@code <bandwidth>} (its recorded actions have no tc) gets
     * it now, recorded with the rest; one taken over from libvirt has libvirt's already. When the kernel refuses
     * it the network keeps running, and the error says it runs without.
     */
    private static List<Applied<Action>> withBandwidth(String subject, NetworkDef live, List<Applied<Action>> adopted,
            Effects<Action> effects) {
        List<Action> tc = live.ovn().isPresent() ? List.of() : NetworkPlanner.bandwidth(live);
        if (tc.isEmpty() || adopted.stream().anyMatch(a -> a.action() instanceof Action.Tc || a.action() instanceof Action.Adopted)) {
            return adopted;
        }
        try {
            List<Applied<Action>> all = new ArrayList<>(adopted);
            all.addAll(Executor.applyAll(subject, tc, effects, Action::describe));
            LOG.info("{}: its <bandwidth>, which the vnetd that started it did not apply, is applied now", subject);
            return all;
        } catch (RuntimeException ex) {
            LOG.error("{} runs without its <bandwidth>: {}", subject, ex.getMessage());
            return adopted;
        }
    }

    private void recoverOne(NetworkStatus st, KernelView view) {
        NetworkDef live = NetworkXml.parse(st.liveXml(), xmlParser);
        Effects<Action> effects = backends.forNetwork(live);
        String subject = KnownNetworks.subject(st.name());
        if (!st.complete()) {
            LOG.warn("network '{}' was being started when the daemon stopped; undoing whatever of its {} action(s) was applied",
                    st.name(), st.applied().size());
            Executor.rollbackAll(subject, st.applied(), effects, Action::describe);
            statuses.delete(st.name());
            return;
        }
        String bridge = live.bridgeName().orElse(null);
        if (live.forwardMode().hasBridge() && live.ovn().isEmpty() && bridge != null && !view.hasLink(bridge)) {
            LOG.warn("network '{}': bridge '{}' is gone; marking the network inactive", st.name(), bridge);
            Executor.undoAll(subject, st.applied(), effects, Action::describe);
            statuses.delete(st.name());
            return;
        }
        NetworkEntry e = networks.get(st.name());
        if (e == null) {
            e = new NetworkEntry(st.name(), UUID.fromString(st.uuid()));
            networks.put(e);
        }
        List<Applied<Action>> adopted = withBandwidth(subject, live, Executor.adoptAll(subject, st.applied(), effects, Action::describe),
                effects);
        e.live = live;
        e.status = st.withApplied(adopted, true).withPersistent(e.persistentDefined());
        statuses.save(e.status);
        LOG.info("adopted running network '{}'", e.name);
    }
}
