package org.vnetd.core.ovn;

import org.vnetd.core.net.IpPrefix;

/**
 * The router's way out: a gateway port on the provider network {@code network} (mapped to a bridge by
 * the gateway chassis' {@code ovn-bridge-mappings}), with {@code address} on it, bound to
 * {@code chassis}, and a default route via {@code nextHop}.
 */
public record OvnUplink(String network, IpPrefix address, String nextHop, String chassis) {
}
