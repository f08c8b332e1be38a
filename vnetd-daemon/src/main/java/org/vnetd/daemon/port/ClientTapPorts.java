package org.vnetd.daemon.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.port.PortXml;
import org.vnetd.core.rpc.NetworkSummary;

/**
 * Ports whose tap their client makes and plugs (libvirt's virtqemud, through virNetworkPortCreateXML):
 * nothing is created in the kernel; the port is recorded under the client's uuid.
 */
final class ClientTapPorts {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTapPorts.class);

    private final NetworkDriver driver;
    private final PortStore store;
    private final PortRegistry registry;

    ClientTapPorts(NetworkDriver driver, PortStore store, PortRegistry registry) {
        this.driver = driver;
        this.store = store;
        this.registry = registry;
    }

    /** See {@link PortManager#register}. */
    PortDef register(String network, PortDef requested, boolean reclaim) {
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
        notes.add(PortNotes.CLIENT_TAP);
        port.bandwidth().ifPresent(b -> notes.add(PortNotes.BANDWIDTH));
        port.vlan().ifPresent(v -> notes.add(PortNotes.VLAN));
        PortRecord r = new PortRecord(uuid, net.name(), net.uuid(), null, null, port.mac().toString(),
                port.bridge().orElse(target.bridge()), port.plug().type(), null, null, false, false, 1, false,
                port.group().orElse(null), null, port.isolated().orElse(false), target.mtu().orElse(null), notes,
                PortXml.format(port), null);
        registry.mutations.lock();
        try {
            PortRecord old = registry.get(uuid);
            if (old != null && !(reclaim && old.clientTap())) {
                throw VnetException.of(ErrorCode.PORT_EXISTS, "Network port with UUID %s already exists", uuid);
            }
            store.save(r);
            registry.put(r);
        } finally {
            registry.mutations.unlock();
        }
        LOG.info("port {} {} for its client's tap on {} of network {}", uuid, reclaim ? "reclaimed" : "registered", r.bridge(),
                r.network());
        return port;
    }
}
