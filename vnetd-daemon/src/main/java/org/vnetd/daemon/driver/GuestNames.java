package org.vnetd.daemon.driver;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dns.DnsEngine;
import org.vnetd.daemon.dhcp.DhcpService;
import org.vnetd.daemon.dhcp6.Dhcp6LeaseChange;
import org.vnetd.daemon.dhcp6.Dhcp6Service;
import org.vnetd.daemon.dns.DnsService;

/**
 * A network's DNS answers its guests by the names their DHCP leases carry: the listeners that keep the
 * names current as leases change, and the whole set taken from the leases both DHCP servers hold (a
 * restarted daemon knows them again from the lease files). Only durable leases, whose clients were answered.
 */
final class GuestNames {
    private GuestNames() {
    }

    /** Keeps {@code names} current as the DHCPv4 server's leases change: A and in-addr.arpa PTR, one zone rebuild per synced batch. */
    static Consumer<List<LeaseChange>> following(DnsService names) {
        return batch -> update(names, batch, c -> c.lease().address(), c -> c.lease().hostname(), LeaseChange::removes);
    }

    /** As {@link #following(DnsService)} for DHCPv6: AAAA and ip6.arpa PTR, one zone rebuild per synced batch. */
    static Consumer<List<Dhcp6LeaseChange>> following6(DnsService names) {
        return batch -> update(names, batch, c -> c.lease().address(), c -> c.lease().hostname(), Dhcp6LeaseChange::removes);
    }

    private static <C> void update(DnsService names, List<C> batch, Function<C, InetAddress> address, Function<C, String> hostname,
            Predicate<C> removes) {
        List<DnsEngine.GuestChange> changes = new ArrayList<>();
        for (C change : batch) {
            if (removes.test(change)) {
                changes.add(new DnsEngine.GuestChange(address.apply(change), null));
            } else if (named(hostname.apply(change))) {
                changes.add(new DnsEngine.GuestChange(address.apply(change), hostname.apply(change)));
            }
        }
        if (!changes.isEmpty()) {
            names.updateGuests(changes);
        }
    }

    /** The names of the leases both servers hold now (either may be null: not running). */
    static Map<InetAddress, String> held(DhcpService v4, Dhcp6Service v6) {
        Map<InetAddress, String> guests = new HashMap<>();
        for (DhcpLease l : v4 == null ? List.<DhcpLease>of() : v4.leases()) {
            if (named(l.hostname())) {
                guests.put(l.address(), l.hostname());
            }
        }
        for (Dhcp6Lease l : v6 == null ? List.<Dhcp6Lease>of() : v6.leases()) {
            if (named(l.hostname())) {
                guests.put(l.address(), l.hostname());
            }
        }
        return guests;
    }

    /** The names of unexpired leases read from a lease file, for a DNS that starts before its DHCP server. */
    static Map<InetAddress, String> unexpired(List<DhcpLease> leases, Clock clock) {
        Map<InetAddress, String> guests = new HashMap<>();
        Instant now = clock.instant();
        for (DhcpLease l : leases) {
            if (named(l.hostname()) && !l.isExpired(now)) {
                guests.put(l.address(), l.hostname());
            }
        }
        return guests;
    }

    private static boolean named(String hostname) {
        return hostname != null && !hostname.isEmpty();
    }
}
