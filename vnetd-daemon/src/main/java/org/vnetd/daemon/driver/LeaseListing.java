package org.vnetd.daemon.driver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.rpc.Lease;
import org.vnetd.daemon.dhcp.DhcpService;
import org.vnetd.daemon.dhcp6.Dhcp6Service;
import org.vnetd.daemon.time.BootClock;

/** A running network's unexpired leases of both families, as {@code net-dhcp-leases} lists them. */
final class LeaseListing {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private final Clock clock;

    /** @param clock the leases' clock; a {@link BootClock}'s expiries are shown as the wall clock will read then */
    LeaseListing(Clock clock) {
        this.clock = clock;
    }

    /** @param v4 and {@code v4Config}, {@code v6}: the network's servers, null when not running */
    List<Lease> of(DhcpService v4, DhcpConfig v4Config, Dhcp6Service v6) {
        List<Lease> out = new ArrayList<>();
        Instant now = clock.instant();
        for (DhcpLease l : v4 == null || v4Config == null ? List.<DhcpLease>of() : v4.leases()) {
            if (l.isExpired(now)) {
                continue;
            }
            out.add(new Lease(l.isInfinite() ? 0 : wallSeconds(l.expiry()), l.mac() == null ? null : l.mac().toString(),
                    "ipv4", l.address().getHostAddress(), v4Config.subnet().length(),
                    l.hostname() == null || l.hostname().isEmpty() ? null : l.hostname(),
                    l.clientId() == null ? null : COLONS.formatHex(l.clientId().bytes())));
        }
        if (v6 != null) {
            // as libvirt lists dnsmasq's: type ipv6, the MAC when the DUID holds one, the DUID as client id, the IAID
            for (Dhcp6Lease l : v6.leases()) {
                if (l.isExpired(now)) {
                    continue;
                }
                out.add(new Lease(l.expiry().equals(Instant.MAX) ? 0 : wallSeconds(l.expiry()),
                        l.client().macAddress().map(Object::toString).orElse(null), "ipv6",
                        IpAddresses.format(l.address()), v6.config().subnet().length(), l.hostname(),
                        l.client().toString(), Long.toString(l.iaid())));
            }
        }
        return out;
    }

    /** An expiry of the lease clock as users read it: what the wall clock will show then. */
    private long wallSeconds(Instant expiry) {
        return (clock instanceof BootClock boot ? boot.toWall(expiry) : expiry).getEpochSecond();
    }
}
