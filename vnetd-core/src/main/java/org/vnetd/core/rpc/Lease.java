package org.vnetd.core.rpc;

/** A DHCP lease as {@code network.dhcpLeases} returns it; {@code expiryTime} 0 means infinite. */
public record Lease(long expiryTime, String mac, String protocol, String ipAddress, int prefix, String hostname,
        String clientId) {
}
