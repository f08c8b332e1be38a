package org.vnetd.core.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which upstream servers a name goes to, as libvirt tells dnsmasq with {@code server=} lines:
 * the forwarders of the longest matching {@code domain} (split DNS); a domain forwarder without an
 * address sends its names to the default servers; the default servers are the forwarders without a
 * domain, or, when there are none, the host's resolvers (libvirt omits {@code no-resolv} then).
 */
final class ForwardRoutes {
    private final List<DnsConfig.Forwarder> forwarders;
    private final List<InetSocketAddress> defaults;
    private final Supplier<List<InetSocketAddress>> systemResolvers;
    private final List<InetAddress> ownAddresses;

    ForwardRoutes(DnsConfig config, Supplier<List<InetSocketAddress>> systemResolvers) {
        this.forwarders = config.forwarders();
        this.systemResolvers = systemResolvers;
        this.ownAddresses = config.listenAddresses();
        List<InetSocketAddress> d = new ArrayList<>();
        for (DnsConfig.Forwarder f : forwarders) {
            if (f.domain().isEmpty() && f.address().isPresent()) {
                d.add(new InetSocketAddress(f.address().get(), f.port()));
            }
        }
        this.defaults = List.copyOf(d);
    }

    /** Servers to ask for {@code name}, in order (strict-order, as libvirt configures dnsmasq). */
    List<InetSocketAddress> upstreamsFor(DnsName name) {
        Optional<DnsName> best = Optional.empty();
        for (DnsConfig.Forwarder f : forwarders) {
            if (f.domain().isPresent() && name.isUnder(f.domain().get())
                    && (best.isEmpty() || f.domain().get().labelCount() > best.get().labelCount())) {
                best = f.domain();
            }
        }
        if (best.isPresent()) {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (DnsConfig.Forwarder f : forwarders) {
                if (f.domain().equals(best) && f.address().isPresent()) {
                    servers.add(new InetSocketAddress(f.address().get(), f.port()));
                }
            }
            if (!servers.isEmpty()) {
                return List.copyOf(servers);
            }
        }
        return defaultServers();
    }

    private List<InetSocketAddress> defaultServers() {
        if (!defaults.isEmpty()) {
            return defaults;
        }
        // never forward to ourselves: a host whose resolv.conf names the bridge would loop
        return systemResolvers.get().stream()
                .filter(s -> !(s.getPort() == DnsConfig.DNS_PORT && ownAddresses.contains(s.getAddress())))
                .toList();
    }
}
