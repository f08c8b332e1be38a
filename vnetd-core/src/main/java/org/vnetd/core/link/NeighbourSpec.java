package org.vnetd.core.link;

import java.net.InetAddress;
import java.util.Objects;

import org.vnetd.core.net.MacAddress;

/** A permanent neighbour (ARP/NDP) entry: {@code address} is at {@code mac} on {@code ifname}. */
public record NeighbourSpec(String ifname, InetAddress address, MacAddress mac) {
    public NeighbourSpec {
        LinkNames.check(ifname);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
    }
}
