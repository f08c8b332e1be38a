package org.vnetd.core.driver;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.plan.Plan;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The network state machine with libvirt's semantics (bridge_driver.c): define, undefine, create,
 * start, destroy, autostart, XML, update, metadata, leases, events, and recovery after a restart.
 * Operations on one network run one at a time (per-name lock); different networks in parallel.
 * Everything that touches the system is an {@link Action} of the {@link Plan} the {@link Planner} makes
 * from the live definition, run by the {@link Executor} through the {@link ActionBackends}; the applied
 * actions themselves are persisted, so teardown and adoption never depend on planning the same way again.
 *
 * <p>This is the one entry both front-ends (the JSON RPC and libvirt's protocol) call; the work is done
 * by {@link NetworkReads} (lookup, XML, metadata, leases), {@link NetworkLifecycle} (define, start,
 * destroy), {@link NetworkLiveEdits} (update, metadata, firewall reload), {@link NetworkRecovery}
 * (adoption at daemon start) and {@link NetworkAutostart}, over the {@link KnownNetworks} they share.
 */
public final class NetworkDriver {
    private final KnownNetworks networks;
    private final NetworkReads reads;
    private final NetworkLifecycle lifecycle;
    private final NetworkLiveEdits edits;
    private final NetworkRecovery recovery;
    private final NetworkAutostart autostart;

    public NetworkDriver(DefinitionStore definitions, StatusStore statuses, Planner planner, ActionBackends backends, KernelObserver kernel,
            Consumer<NetworkEvent> events, LeaseSource leases, LongSupplier clock, RandomGenerator random) {
        this(definitions, statuses, planner, backends, kernel, events, leases, ServiceHealth.none(), clock, random, new SafeXml());
    }

    /** {@code xmlParser} parses the definitions and net-update fragments the driver is given and the ones it recovers. */
    public NetworkDriver(DefinitionStore definitions, StatusStore statuses, Planner planner, ActionBackends backends, KernelObserver kernel,
            Consumer<NetworkEvent> events, LeaseSource leases, ServiceHealth health, LongSupplier clock, RandomGenerator random,
            SafeXml xmlParser) {
        this.networks = new KnownNetworks(statuses, events, health, clock);
        this.reads = new NetworkReads(networks, leases);
        this.lifecycle = new NetworkLifecycle(networks, definitions, statuses, planner, backends, kernel, clock, random, xmlParser);
        this.edits = new NetworkLiveEdits(networks, definitions, statuses, backends, random, reads, xmlParser);
        this.recovery = new NetworkRecovery(networks, definitions, statuses, backends, kernel, random, xmlParser);
        this.autostart = new NetworkAutostart(networks, lifecycle, reads, kernel);
    }

    // ------------------------------------------------------------------ lookup and listing

    public List<NetworkSummary> list() {
        return reads.list();
    }

    public NetworkSummary lookup(String network) {
        return reads.lookup(network);
    }

    public String getXml(String network, boolean inactive) {
        return reads.getXml(network, inactive);
    }

    /** Where a running network's port count comes from (see {@link PortCounter}); none are counted before. */
    public void countPortsWith(PortCounter counter) {
        reads.countPortsWith(counter);
    }

    /**
     * The definition {@link #getXml} formats: the persistent one with {@code inactive} (when there is one),
     * else the live one of a running network, else the persistent one. It is the driver's own instance, so
     * reading it costs nothing; the driver replaces a definition it keeps, never changes it, and callers must
     * not change it either ({@link NetworkDef#copy()} first).
     */
    public NetworkDef definition(String network, boolean inactive) {
        return reads.definition(network, inactive);
    }

    public List<Lease> dhcpLeases(String network, String mac) {
        return reads.dhcpLeases(network, mac);
    }

    public Optional<String> getMetadata(String network, String type, String uri, boolean inactive) {
        return reads.getMetadata(network, type, uri, inactive);
    }

    /**
     * A running network's service stopped serving or serves again (see {@link ServiceHealth}): tell
     * subscribers. Takes no network lock: the services call it from their own threads.
     */
    public void serviceHealthChanged(String network) {
        networks.serviceHealthChanged(network);
    }

    // ------------------------------------------------------------------ define / undefine / start / destroy

    public NetworkSummary define(String xml) {
        return lifecycle.define(xml);
    }

    public void undefine(String network) {
        lifecycle.undefine(network);
    }

    public void setAutostart(String network, boolean autostart) {
        lifecycle.setAutostart(network, autostart);
    }

    public void start(String network) {
        lifecycle.start(network);
    }

    /** A transient network: started from the XML, never stored in the config dir. */
    public NetworkSummary create(String xml) {
        return lifecycle.create(xml);
    }

    public void destroy(String network) {
        lifecycle.destroy(network);
    }

    /**
     * Starts the network of {@code liveXml}, which libvirt runs now, by taking over its bridge, addresses
     * and routes as they are ({@link org.vnetd.core.plan.TakeoverPlan}): vnetd's rules go in, then libvirt
     * lets go ({@code release}, made from the parsed definition), then vnetd's services start. A persistent
     * network is {@link #define}d first; otherwise the network is transient.
     */
    public NetworkSummary takeOver(String liveXml, java.util.function.Function<NetworkDef, Action.ReleaseFromLibvirt> release) {
        return lifecycle.takeOver(liveXml, release);
    }

    // ------------------------------------------------------------------ update, metadata, firewall reload

    public UpdateResult update(String network, String command, String section, int parentIndex, String xml,
            boolean live, boolean config) {
        return edits.update(network, command, section, parentIndex, xml, live, config);
    }

    public void setMetadata(String network, String type, String value, String key, String uri, boolean live, boolean config) {
        edits.setMetadata(network, type, value, key, uri, live, config);
    }

    /** Re-applies what {@link org.vnetd.core.plan.Effects#reload} covers (firewall rules) for every running network. */
    public void reload() {
        edits.reload();
    }

    // ------------------------------------------------------------------ daemon start

    /**
     * Loads definitions and status files and takes over running networks without touching them:
     * a half-made start (crash mid-start) is undone, a network whose bridge is gone is marked
     * inactive, the others are adopted (their actions check for drift and restart in-process
     * services). Unreadable files are set aside and reported; they never stop the others.
     */
    public void recover() {
        recovery.recover();
    }

    /** Starts every autostart network that is not running; failures are logged, not fatal. */
    public void autostart() {
        autostart.autostart();
    }

    /**
     * Defines {@code default} from the given XML with autostart, moving it to the next free
     * 192.168.N.0/24 when 192.168.122.0/24 is already routed on the host (as libvirt's packaging does).
     */
    public Optional<NetworkSummary> defineDefault(String defaultXml) {
        return autostart.defineDefault(defaultXml);
    }
}
