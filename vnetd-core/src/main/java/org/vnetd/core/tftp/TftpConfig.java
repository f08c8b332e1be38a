package org.vnetd.core.tftp;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What a network's TFTP service serves: for every IPv4 {@code <ip>} with {@code <tftp root='DIR'/>},
 * that address and directory (libvirt allows one such {@code <ip>}; nothing here depends on that),
 * on the network's bridge, with blocks sized to the bridge's MTU ({@code <mtu size>}, else 1500).
 */
public record TftpConfig(String network, String interfaceName, List<Served> served, TftpLimits limits) {
    /** One listening address and the directory it serves. */
    public record Served(Inet4Address address, String root) {
        public Served {
            Objects.requireNonNull(address);
            Objects.requireNonNull(root);
        }
    }

    public TftpConfig {
        Objects.requireNonNull(network);
        Objects.requireNonNull(interfaceName);
        served = List.copyOf(served);
        Objects.requireNonNull(limits);
    }

    /** The network's TFTP service, or empty when no {@code <ip>} has a {@code <tftp root>} or there is no bridge. */
    public static Optional<TftpConfig> of(NetworkDef def) {
        if (def.bridgeName().isEmpty()) {
            return Optional.empty();
        }
        List<Served> served = new ArrayList<>();
        for (IpDef ip : def.ips()) {
            if (ip.getTftp() != null && ip.getTftp().getRoot() != null && ip.address() instanceof Inet4Address a) {
                served.add(new Served(a, ip.getTftp().getRoot()));
            }
        }
        if (served.isEmpty()) {
            return Optional.empty();
        }
        int mtu = def.mtu().filter(m -> m >= 576).orElse(TftpLimits.ETHERNET_MTU);
        return Optional.of(new TftpConfig(def.name(), def.bridgeName().get(), served, TftpLimits.forMtu(mtu)));
    }
}
