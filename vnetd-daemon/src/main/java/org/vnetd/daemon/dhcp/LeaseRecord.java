package org.vnetd.daemon.dhcp;

import org.vnetd.daemon.time.BootClock;

import java.net.Inet4Address;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/**
 * One line of the lease log, or one element of the snapshot: a full lease ({@code op} "bind") or
 * the removal of the lease on {@code ip} held by {@code cid} ({@code op} "del"). {@code exp} is
 * epoch seconds, 0 for an infinite lease (dnsmasq's convention). A lease written under a
 * {@link BootClock} also carries its expiry in seconds since boot ({@code bexp}) and the boot's ID
 * ({@code boot}): read back in the same boot, that one counts, so a step of the wall clock between
 * (or during) daemons neither ends leases early nor stretches them. Files written before these two
 * fields existed, or in another boot, use {@code exp}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LeaseRecord(@JsonProperty("op") String op, @JsonProperty("ip") String ip, @JsonProperty("cid") String cid,
        @JsonProperty("mac") String mac, @JsonProperty("host") String host, @JsonProperty("exp") long exp,
        @JsonProperty("boot") String boot, @JsonProperty("bexp") Long bexp) {
    static final String BIND = "bind";
    static final String DEL = "del";

    /** @param clock the lease clock, or null to write the wall-clock expiry only */
    static LeaseRecord of(LeaseChange change, BootClock clock) {
        DhcpLease l = change.lease();
        Instant expiry = l.expiry();
        boolean boot = clock != null && expiry != null && !change.removes();
        return new LeaseRecord(change.removes() ? DEL : BIND, l.address().getHostAddress(), l.clientId().toString(),
                l.mac() == null ? null : l.mac().toString(), l.hostname(), expiry == null ? 0 : expiry.getEpochSecond(),
                boot ? clock.bootId() : null, boot ? clock.bootSeconds(expiry) : null);
    }

    static LeaseRecord bind(DhcpLease l, BootClock clock) {
        return of(new LeaseChange(LeaseChange.Kind.BOUND, l), clock);
    }

    /** @param clock the lease clock, or null to read the wall-clock expiry only */
    DhcpLease toLease(BootClock clock) {
        Instant expiry = exp == 0 ? null
                : clock != null && bexp != null && clock.bootId().equals(boot) ? clock.fromBootSeconds(bexp) : Instant.ofEpochSecond(exp);
        return new DhcpLease((Inet4Address) IpAddresses.parse(ip), ClientId.parse(cid), mac == null ? null : MacAddress.parse(mac),
                host, expiry);
    }
}
