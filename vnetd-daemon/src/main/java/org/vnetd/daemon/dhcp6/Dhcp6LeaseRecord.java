package org.vnetd.daemon.dhcp6;

import java.net.Inet6Address;
import java.time.Instant;

import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.net.IpAddresses;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One DHCPv6 lease as stored: an element of the snapshot ({@code op} absent) or a line of the log
 * ({@code op} "bind", or "del": the binding of {@code duid}/{@code iaid} to {@code address} ended).
 * {@code expiry} is epoch seconds, -1 for infinite. The snapshot's elements are what the first
 * DHCPv6 lease files held (a JSON array of these without {@code op}), so those files load as they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Dhcp6LeaseRecord(String op, String duid, long iaid, String address, long expiry, String hostname) {
    static final String BIND = "bind";
    static final String DEL = "del";

    static Dhcp6LeaseRecord of(Dhcp6LeaseChange c) {
        Dhcp6Lease l = c.lease();
        return new Dhcp6LeaseRecord(c.removes() ? DEL : BIND, l.client().toString(), l.iaid(), l.address().getHostAddress(),
                l.expiry().equals(Instant.MAX) ? -1 : l.expiry().getEpochSecond(), l.hostname());
    }

    static Dhcp6LeaseRecord snapshot(Dhcp6Lease l) {
        Dhcp6LeaseRecord r = of(new Dhcp6LeaseChange(false, l));
        return new Dhcp6LeaseRecord(null, r.duid, r.iaid, r.address, r.expiry, r.hostname);
    }

    boolean removes() {
        return DEL.equals(op);
    }

    Dhcp6Lease toLease() {
        return new Dhcp6Lease(Duid.parse(duid), iaid, (Inet6Address) IpAddresses.parse(address),
                expiry < 0 ? Instant.MAX : Instant.ofEpochSecond(expiry), hostname);
    }
}
