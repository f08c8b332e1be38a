package org.vnetd.core.link;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.net.IpPrefix;

/**
 * A route the kernel reports. {@code protocol} is RTPROT_* (2 kernel, 3 boot, 4 static), {@code scope}
 * RT_SCOPE_*, {@code type} RTN_* (1 unicast, 2 local), {@code table} the routing table id (254 main).
 */
public record RouteInfo(IpPrefix destination, Optional<InetAddress> gateway, OptionalInt deviceIndex,
        Optional<String> device, OptionalInt metric, int table, int protocol, int scope, int type) {
    public static final int TABLE_MAIN = 254;
}
