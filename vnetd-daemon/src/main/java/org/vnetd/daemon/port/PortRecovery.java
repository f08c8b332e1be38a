package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.link.BridgePortOptions;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.ovs.OvsPort;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.qos.FloorLedger;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.qos.PortQos;

/**
 * Ports across restarts of the daemon and of their network: a restarted daemon loads the stored ports
 * and adopts their taps, and a network that starts again gets its ports' taps back on its bridge.
 */
final class PortRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(PortRecovery.class);

    private final PortRegistry registry;
    private final LinkBackend links;
    private final PortStore store;
    private final PortDhcp dhcp;
    private final TapReaper reaper;
    private final PortCreation creation;
    /** Where replugs after a network start run (off the event thread). */
    private final Executor background;
    private final NetworkDriver driver;
    private final PortQos qos;
    private final LegacyPortBandwidth legacy;
    private final OpenVswitch ovs;
    private final PortOvn ovn;

    PortRecovery(PortRegistry registry, LinkBackend links, PortStore store, PortDhcp dhcp, TapReaper reaper, PortCreation creation,
            Executor background, NetworkDriver driver, PortQos qos, OpenVswitch ovs, PortOvn ovn) {
        this.ovn = ovn;
        this.ovs = ovs;
        this.driver = driver;
        this.qos = qos;
        this.legacy = new LegacyPortBandwidth(registry, store, driver, qos);
        this.registry = registry;
        this.links = links;
        this.store = store;
        this.dhcp = dhcp;
        this.reaper = reaper;
        this.creation = creation;
        this.background = background;
    }

    /**
     * Removes taps of ports deleted by an earlier run that were not reaped before it stopped, then loads
     * stored ports and adopts their taps: a persistent tap detached from its bridge is plugged in again.
     */
    void recover() {
        try {
            reaper.reapLeftovers();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove taps of deleted ports left in link group {}: {}", Integer.toUnsignedString(TapReaper.GROUP),
                    e.getMessage());
        }
        List<PortRecord> stored = store.load();
        stored.forEach(registry::put);
        creation.resumeNamesAfter(stored.stream().map(PortRecord::tap).filter(Objects::nonNull).toList());
        stored.stream().filter(r -> r.ip() != null).map(PortRecord::network).distinct().forEach(n -> {
            try {
                dhcp.setReservations(n, registry.reservations(n, null));
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
            if (r.bridge() == null) {
                // a macvtap: on its host interface, with nothing to plug; its pool device counts again with the port
                LOG.info("adopted port {} ({} of a {} plug, network {})", r.uuid(), r.tap(), r.plugType(), r.network());
                continue;
            }
            Optional<OvsPort> ovsPort = OvsPort.of(registry.definition(r), r.tap());
            if (registry.state(r).equals("ok") && (ovsPort.isPresent() || !tap.get().master().map(r.bridge()::equals).orElse(false))) {
                try {
                    replug(r, false);
                } catch (RuntimeException e) {
                    LOG.warn("port {} of network {}: cannot plug {} into {} again: {}", r.uuid(), r.network(), r.tap(), r.bridge(),
                            e.getMessage());
                }
            }
            LOG.info("adopted port {} ({} on {}, network {})", r.uuid(), r.tap(), r.bridge(), r.network());
        }
        registry.mutations.lock();
        try {
            legacy.apply(stored);
        } finally {
            registry.mutations.unlock();
        }
    }

    /** Lifecycle events: a network that starts again gets its ports' taps back on its bridge. */
    void onNetworkEvent(NetworkEvent e) {
        if (!NetworkEvent.LIFECYCLE.equals(e.event()) || !"Started".equals(e.detail())) {
            return;
        }
        background.execute(() -> replugFloors(e.network(), e.uuid()));
        for (PortRecord r : List.copyOf(registry.all())) {
            if (!r.clientTap() && r.bridge() != null && r.network().equals(e.network()) && r.networkUuid().equals(e.uuid())) {
                background.execute(() -> {
                    try {
                        replug(r, true);
                    } catch (RuntimeException ex) {
                        LOG.warn("cannot plug port {} ({}) back into {}: {}", r.uuid(), r.tap(), r.bridge(), ex.getMessage());
                    }
                });
            }
        }
    }

    /**
     * A network started again has a new bridge: its ports' floors get their classes on it again, under the
     * class ids they hold, and the unguaranteed class its rate with them all taken off.
     */
    private void replugFloors(String network, String networkUuid) {
        registry.mutations.lock();
        try {
            List<FloorLedger.Share> done = new ArrayList<>();
            for (PortRecord r : List.copyOf(registry.all())) {
                if (!r.network().equals(network) || !r.networkUuid().equals(networkUuid)) {
                    continue;
                }
                Optional<Bandwidth> bw = registry.definition(r).bandwidth();
                int classId = PortBandwidth.classId(bw);
                if (classId == 0) {
                    continue;
                }
                try {
                    qos.replug(driver.definition(network, false), classId, bw.get(), MacAddress.parse(r.mac()), done);
                    done.add(new FloorLedger.Share(classId, Bandwidths.floor(bw)));
                    LOG.info("port {}: floor class 1:{} on {} again", r.uuid(), Integer.toHexString(classId), r.bridge());
                } catch (RuntimeException ex) {
                    LOG.warn("port {}: cannot plug its floor class 1:{} into {} again: {}", r.uuid(), Integer.toHexString(classId),
                            r.bridge(), ex.getMessage());
                }
            }
        } finally {
            registry.mutations.unlock();
        }
    }

    /**
     * Plugs the port's tap into its bridge again; after its network started again ({@code networkRestarted}) also gives
     * a port of an OVN network its logical port back (the stop removed this host's). A restarted daemon does not ask
     * OVN: the network was not stopped, its logical ports are there, and a database that is away must not hold up the
     * daemon's start for each port.
     */
    private void replug(PortRecord r, boolean networkRestarted) {
        registry.mutations.lock();
        try {
            if (links.getLink(r.tap()).isEmpty() || links.getLink(r.bridge()).isEmpty()) {
                return;
            }
            Optional<OvsPort> ovsPort = OvsPort.of(registry.definition(r), r.tap());
            NetworkDef net = driver.definition(r.network(), false);
            if (networkRestarted && ovsPort.isPresent() && net.ovn().isPresent()) {
                // the network's stop removed this host's logical ports; a daemon restart finds them there
                ovn.ensurePort(net, ovsPort.get().interfaceId().toString(), ovsPort.get().attachedMac(), Optional.ofNullable(r.ip()));
            }
            if (ovsPort.isPresent()) {
                // --may-exist: a port the switch kept (a daemon restart) stays as it is, one it lost is added again
                ovs.addPort(ovsPort.get());
            } else {
                links.setMaster(r.tap(), r.bridge());
            }
            PortDef def = registry.definition(r);
            if (ovsPort.isEmpty() && PortTarget.libvirtManaged(def.plug())) {
                PortEffects.filterVlans(links, r.bridge());
                links.setBridgePort(r.tap(), BridgePortOptions.libvirtManaged().withIsolated(r.isolated()));
                links.addBridgeFdb(r.tap(), def.mac());
            } else if (r.isolated()) {
                links.setBridgePort(r.tap(), BridgePortOptions.DEFAULTS.withIsolated(true));
            }
            links.setUp(r.tap());
            LOG.info("port {}: {} plugged into {} again", r.uuid(), r.tap(), r.bridge());
        } finally {
            registry.mutations.unlock();
        }
    }
}
