package org.vnetd.daemon.ovn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.vnetd.core.driver.LeaseSource;
import org.vnetd.core.ovn.OvnNetwork;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * Leases as {@code net-dhcp-leases} shows them, for networks on OVN from OVN's bindings, for the others from the
 * local DHCP service. OVN's DHCP (in each chassis' ovn-controller) keeps no lease table: a guest's address is its
 * logical port's (the static one, or what OVN gave a {@code dynamic} one) for as long as the port exists, so a
 * lease is shown for each port of the network, of any host, that is bound to a chassis ({@code up}), with no
 * expiry (0, which virsh prints as infinite) and the {@code <dhcp><host>} name of its MAC if there is one.
 */
public final class OvnLeases implements LeaseSource {
    private final LeaseSource local;
    private final OvnConnections connections;

    public OvnLeases(LeaseSource local, OvnConnections connections) {
        this.local = local;
        this.connections = connections;
    }

    @Override
    public List<Lease> leases(String network) {
        return local.leases(network);
    }

    @Override
    public List<Lease> leases(NetworkDef live) {
        if (live.ovn().isEmpty()) {
            return local.leases(live.name());
        }
        OvnNetwork n = OvnNetworkMapper.map(live);
        // reads every host's ports: the host id is not used, and naming this host would read the local database for nothing
        OvnNorthbound nb = new OvnNorthbound(connections.northbound(live.ovn().get().getNorthbound()), "");
        Map<String, String> names = hostNames(live);
        List<Lease> out = new ArrayList<>();
        for (OvnPortRow p : nb.ports(n)) {
            if (p.up().orElse(false) && p.address().isPresent()) {
                out.add(new Lease(0, p.mac(), "ipv4", p.address().get(), n.subnet().length(), names.get(p.mac()), null));
            }
        }
        out.sort((a, b) -> a.mac().compareTo(b.mac()));
        return out;
    }

    /** MAC (lower case) to the name its {@code <dhcp><host>} gives. */
    private static Map<String, String> hostNames(NetworkDef def) {
        Map<String, String> names = new TreeMap<>();
        for (IpDef ip : def.getIps()) {
            for (DhcpHostDef h : ip.hosts()) {
                if (h.getMac() != null && h.getName() != null) {
                    names.put(h.getMac().toLowerCase(Locale.ROOT), h.getName());
                }
            }
        }
        return names;
    }
}
