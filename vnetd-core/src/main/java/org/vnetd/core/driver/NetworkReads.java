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
            LiveCounts counts = counts(e, def);
            return e.xml.get(def, false, counts, () -> NetworkXml.format(withCounts(def, counts), false));
        }
        return e.xml.get(def, inactive, null, () -> NetworkXml.format(def, inactive));
    }

    /**
     * {@code def} (the running network's) with the connection counts of its ports: the network's, and each pool
     * interface's ({@code <interface dev connections>}), as a live {@code net-update} sees them (libvirt refuses to
     * delete an interface a port holds).
     */
    NetworkDef counted(NetworkEntry e, NetworkDef def) {
        return withCounts(def, counts(e, def));
    }

    /** What the live XML shows of the port counts, the key of a formatted live XML with its definition. */
    private record LiveCounts(String connections, Map<String, Integer> perInterface) {
    }

    private LiveCounts counts(NetworkEntry e, NetworkDef def) {
        int n = ports.ports(e.name, e.uuid);
        String connections = n > 0 ? Integer.toString(n) : null;
        Map<String, Integer> perInterface = def.getForward() == null ? Map.of() : ports.interfaceConnections(e.name, e.uuid);
        return new LiveCounts(connections, perInterface);
    }

    private static NetworkDef withCounts(NetworkDef def, LiveCounts counts) {
        if (java.util.Objects.equals(counts.connections(), def.getConnections()) && counts.perInterface().isEmpty()) {
            return def;
        }
        NetworkDef copy = NetworkXml.copy(def);
        copy.setConnections(counts.connections());
        for (ForwardInterfaceDef i : copy.getForward() == null ? List.<ForwardInterfaceDef>of() : copy.getForward().getInterfaces()) {
            Integer held = counts.perInterface().get(i.getDev());
            i.setConnections(held == null || held == 0 ? null : held.toString());
        }
        return copy;
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
        List<Lease> all = leases.leases(e.current());
        if (mac == null) {
            return all;
        }
        String want = MacAddress.parse(mac).toString();
        return all.stream().filter(l -> want.equalsIgnoreCase(l.mac())).toList();
    }
}
