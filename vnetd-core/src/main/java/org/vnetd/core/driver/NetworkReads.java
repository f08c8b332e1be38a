package org.vnetd.core.driver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vnetd.core.net.MacAddress;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.NetworkDef;

/** The driver's read API: listing, lookup, XML, the live or persistent definition, metadata and leases. Takes no lock. */
final class NetworkReads {
    private final KnownNetworks networks;
    private final LeaseSource leases;
    private volatile PortCounter ports = (network, uuid) -> 0;

    NetworkReads(KnownNetworks networks, LeaseSource leases) {
        this.networks = networks;
        this.leases = leases;
    }

    List<NetworkSummary> list() {
        List<NetworkSummary> out = new ArrayList<>();
        for (NetworkEntry e : networks.all()) {
            out.add(networks.summary(e));
        }
        out.sort(Comparator.comparing(NetworkSummary::name));
        return out;
    }

    NetworkSummary lookup(String network) {
        return networks.summary(networks.find(network));
    }

    void countPortsWith(PortCounter counter) {
        ports = counter;
    }

    /**
     * A running network's live XML says how many ports it has ({@code connections}, as libvirt's does); the
     * count is vnetd's, never one a definition brought (a network taken over from libvirt brings libvirt's).
     */
    String getXml(String network, boolean inactive) {
        NetworkEntry e = networks.find(network);
        NetworkDef def = inactive && e.persistent != null ? e.persistent : e.current();
        if (!inactive && e.active()) {
            int n = ports.ports(e.name, e.uuid);
            String connections = n > 0 ? Integer.toString(n) : null;
            Map<String, Integer> perInterface = def.getForward() == null ? Map.of() : ports.interfaceConnections(e.name, e.uuid);
            return e.xml.get(def, false, new LiveCounts(connections, perInterface), () -> liveXml(def, connections, perInterface));
        }
        return e.xml.get(def, inactive, null, () -> NetworkXml.format(def, inactive));
    }

    /** What the live XML shows of the port counts, the key of a formatted live XML with its definition. */
    private record LiveCounts(String connections, Map<String, Integer> perInterface) {
    }

    private static String liveXml(NetworkDef def, String connections, Map<String, Integer> perInterface) {
        if (!java.util.Objects.equals(connections, def.getConnections()) || !perInterface.isEmpty()) {
            def = NetworkXml.copy(def);
            def.setConnections(connections);
            for (ForwardInterfaceDef i : def.getForward() == null ? List.<ForwardInterfaceDef>of() : def.getForward().getInterfaces()) {
                Integer held = perInterface.get(i.getDev());
                i.setConnections(held == null || held == 0 ? null : held.toString());
            }
        }
        return NetworkXml.format(def, false);
    }

    /** See {@link NetworkDriver#definition}. */
    NetworkDef definition(String network, boolean inactive) {
        NetworkEntry e = networks.find(network);
        return inactive && e.persistent != null ? e.persistent : e.current();
    }

    Optional<String> getMetadata(String network, String type, String uri, boolean inactive) {
        return NetworkEdits.getMetadata(definition(network, inactive), type, uri);
    }

    List<Lease> dhcpLeases(String network, String mac) {
        NetworkEntry e = networks.find(network);
        if (!e.active()) {
            return List.of();
        }
        List<Lease> all = leases.leases(e.name);
        if (mac == null) {
            return all;
        }
        String want = MacAddress.parse(mac).toString();
        return all.stream().filter(l -> want.equalsIgnoreCase(l.mac())).toList();
    }
}
