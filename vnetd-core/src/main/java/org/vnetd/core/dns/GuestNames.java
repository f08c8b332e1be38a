package org.vnetd.core.dns;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names guests gave in their DHCP requests, one per leased address, kept while the lease lives
 * (the DHCP server adds on ACK and removes on release or expiry). Guests are untrusted: a name is
 * accepted only as a valid host label; a name {@code host.<our domain>} is cut to {@code host}, any
 * other dotted name is refused, as dnsmasq does. When two leases claim one name the newest wins.
 * Not thread-safe: {@link DnsEngine} serialises access.
 */
final class GuestNames {
    private static final Logger LOG = LoggerFactory.getLogger(GuestNames.class);

    private final Map<InetAddress, String> byAddress = new LinkedHashMap<>();

    /** Normalises {@code hostname}; empty if it cannot be a guest's DNS name. */
    static Optional<String> normalise(String hostname, Optional<DnsName> domain) {
        if (hostname == null) {
            return Optional.empty();
        }
        String h = hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
        int dot = h.indexOf('.');
        if (dot >= 0) {
            String rest = h.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (domain.isEmpty() || !rest.equals(domain.get().key())) {
                return Optional.empty();
            }
            h = h.substring(0, dot);
        }
        return DnsName.isHostLabel(h) ? Optional.of(h) : Optional.empty();
    }

    /** Records {@code hostname} for {@code address}; returns false (and logs) when the name is refused. */
    boolean put(String hostname, InetAddress address, Optional<DnsName> domain) {
        Optional<String> name = normalise(hostname, domain);
        if (name.isEmpty()) {
            LOG.info("not giving DNS name '{}' to {}: not a valid host name in this network", hostname, address.getHostAddress());
            return false;
        }
        String key = name.get().toLowerCase(Locale.ROOT);
        byAddress.entrySet().removeIf(e -> e.getValue().toLowerCase(Locale.ROOT).equals(key)
                && e.getKey().getClass() == address.getClass() && !e.getKey().equals(address));
        byAddress.remove(address);
        byAddress.put(address, name.get());
        return true;
    }

    boolean remove(InetAddress address) {
        return byAddress.remove(address) != null;
    }

    void clear() {
        byAddress.clear();
    }

    Map<InetAddress, String> snapshot() {
        return Map.copyOf(byAddress);
    }

    /** In insertion order, so a newer lease of the same name comes later. */
    Iterable<Map.Entry<InetAddress, String>> entries() {
        return byAddress.entrySet();
    }
}
