package org.vnetd.daemon.dhcp6;

import java.net.Inet6Address;
import java.time.Instant;

import org.vnetd.core.dhcp6.Dhcp6Lease;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.daemon.time.BootClock;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One DHCPv6 lease as stored: an element of the snapshot ({@code op} absent) or a line of the log
 * ({@code op} "bind", or "del": the binding of {@code duid}/{@code iaid} to {@code address} ended).
 * {@code expiry} is epoch seconds, -1 for infinite. A lease written under the lease clock
 * ({@link BootClock}) also carries its expiry in seconds since boot ({@code bexp}) and the boot's ID
 * ({@code boot}), as DHCPv4's records do: read back in the same boot, that one counts, so a step of the
 * wall clock between (or during) daemons neither ends leases early nor stretches them. The first DHCPv6
 * lease files (a JSON array of these without {@code op}, {@code boot}, {@code bexp}) load as they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Dhcp6LeaseRecord(String op, String duid, long iaid, String address, long expiry, String hostname, String boot, Long bexp) {
    static final String BIND = "bind";
    static final String DEL = "del";

    /** @param clock the lease clock, or null to write the wall-clock expiry only */
    static Dhcp6LeaseRecord of(Dhcp6LeaseChange c, BootClock clock) {
        Dhcp6Lease l = c.lease();
        boolean infinite = l.expiry().equals(Instant.MAX);
        boolean boot = clock != null && !infinite && !c.removes();
        return new Dhcp6LeaseRecord(c.removes() ? DEL : BIND, l.client().toString(), l.iaid(), l.address().getHostAddress(),
                infinite ? -1 : l.expiry().getEpochSecond(), l.hostname(), boot ? clock.bootId() : null,
                boot ? clock.bootSeconds(l.expiry()) : null);
    }

    static Dhcp6LeaseRecord snapshot(Dhcp6Lease l, BootClock clock) {
        Dhcp6LeaseRecord r = of(new Dhcp6LeaseChange(false, l), clock);
        return new Dhcp6LeaseRecord(null, r.duid, r.iaid, r.address, r.expiry, r.hostname, r.boot, r.bexp);
    }

    boolean removes() {
        return DEL.equals(op);
    }

    /** @param clock the lease clock, or null to read the wall-clock expiry only */
    Dhcp6Lease toLease(BootClock clock) {
        Instant until = expiry < 0 ? Instant.MAX
                : clock != null && bexp != null && clock.bootId().equals(boot) ? clock.fromBootSeconds(bexp) : Instant.ofEpochSecond(expiry);
        return new Dhcp6Lease(Duid.parse(duid), iaid, (Inet6Address) IpAddresses.parse(address), until, hostname);
    }
}
