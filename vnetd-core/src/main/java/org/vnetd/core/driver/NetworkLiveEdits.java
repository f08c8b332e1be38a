package org.vnetd.core.driver;

import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Executor;
import org.vnetd.core.plan.UnappliedElements;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.xml.NetworkUpdate;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * Changes to a defined or running network: {@code net-update} and metadata (stored before they are
 * applied, {@link PersistedChange}), and re-applying the firewall of every running network.
 */
final class NetworkLiveEdits {
    // the driver's category: operators see one logger for the network state machine
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final KnownNetworks networks;
    private final DefinitionStore definitions;
    private final StatusStore statuses;
    private final ActionBackends backends;
    private final RandomGenerator random;
    private final NetworkReads reads;
    private final SafeXml xmlParser;

    NetworkLiveEdits(KnownNetworks networks, DefinitionStore definitions, StatusStore statuses, ActionBackends backends,
            RandomGenerator random, NetworkReads reads, SafeXml xmlParser) {
        this.reads = reads;
        this.xmlParser = xmlParser;
        this.networks = networks;
        this.definitions = definitions;
        this.statuses = statuses;
        this.backends = backends;
        this.random = random;
    }

    UpdateResult update(String network, String command, String section, int parentIndex, String xml,
            boolean live, boolean config) {
        return networks.locked(network, e -> {
            UpdateResult impact = impact(e, live, config);
            boolean doLive = impact.live();
            boolean doConfig = impact.config();
            NetworkDef newConfig = null;
            NetworkDef newLive = null;
            // compute both first, so a refused change alters neither
            if (doConfig) {
                newConfig = NetworkXml.copy(e.persistent);
                NetworkUpdate.apply(newConfig, command, section, parentIndex, xml, xmlParser);
                NetworkXml.validate(newConfig, random);
                UnappliedElements.checkConfigChange(e.persistent, newConfig);
            }
            if (doLive) {
                // with its ports' counts: libvirt refuses to delete a pool interface a port holds
                newLive = NetworkXml.copy(reads.counted(e, e.live));
                NetworkUpdate.apply(newLive, command, section, parentIndex, xml, xmlParser);
                newLive.setConnections(null); // counted again from the ports whenever shown
                if (newLive.getForward() != null) {
                    newLive.getForward().getInterfaces().forEach(i -> i.setConnections(null));
                }
                NetworkXml.validate(newLive, random);
                UnappliedElements.checkLiveChange(newLive);
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

    void setMetadata(String network, String type, String value, String key, String uri, boolean live, boolean config) {
        networks.locked(network, e -> {
            UpdateResult impact = impact(e, live, config);
            boolean doLive = impact.live();
            boolean doConfig = impact.config();
            NetworkDef newConfig = doConfig ? NetworkXml.copy(e.persistent) : null;
            NetworkDef newLive = doLive ? NetworkXml.copy(e.live) : null;
            if (newConfig != null) {
                NetworkEdits.setMetadata(newConfig, type, value, key, uri);
            }
            if (newLive != null) {
                NetworkEdits.setMetadata(newLive, type, value, key, uri);
            }
            PersistedChange.write(definitions, statuses, e, newLive, newConfig).commit();
            networks.emit(e, NetworkEvent.METADATA_CHANGE, type, "element".equals(type) ? uri : null);
            return null;
        });
    }

    /** Re-applies what {@link org.vnetd.core.plan.Effects#reload} covers (firewall rules) for every running network. */
    void reload() {
        for (String name : networks.names()) {
            try {
                networks.runLocked(name, () -> {
                    NetworkEntry e = networks.get(name);
                    if (e == null || !e.active()) {
                        return;
                    }
                    networks.saveStatus(e, e.status.withApplied(Executor.reloadAll(e.status.applied(), backends.forNetwork(e.live)), true));
                });
            } catch (Exception ex) {
                LOG.error("reload of network '{}' failed: {}", name, ex.getMessage());
            }
        }
    }
}
