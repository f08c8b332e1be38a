package org.vnetd.daemon.dhcp;

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
 * epoch seconds, 0 for an infinite lease (dnsmasq's convention).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LeaseRecord(@JsonProperty("op") String op, @JsonProperty("ip") String ip, @JsonProperty("cid") String cid,
        @JsonProperty("mac") String mac, @JsonProperty("host") String host, @JsonProperty("exp") long exp) {
    static final String BIND = "bind";
    static final String DEL = "del";

    static LeaseRecord of(LeaseChange change) {
        DhcpLease l = change.lease();
        return new LeaseRecord(change.removes() ? DEL : BIND, l.address().getHostAddress(), l.clientId().toString(),
                l.mac() == null ? null : l.mac().toString(), l.hostname(), l.expiry() == null ? 0 : l.expiry().getEpochSecond());
    }

    static LeaseRecord bind(DhcpLease l) {
        return of(new LeaseChange(LeaseChange.Kind.BOUND, l));
    }

    DhcpLease toLease() {
        return new DhcpLease((Inet4Address) IpAddresses.parse(ip), ClientId.parse(cid), mac == null ? null : MacAddress.parse(mac),
                host, exp == 0 ? null : Instant.ofEpochSecond(exp));
    }
}
