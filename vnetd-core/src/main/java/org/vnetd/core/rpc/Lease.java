package org.vnetd.core.rpc;

/**
 * A DHCP lease as {@code network.dhcpLeases} returns it; {@code expiryTime} 0 means infinite. For a
 * DHCPv6 lease, {@code clientId} is the client's DUID and {@code iaid} its identity association's id
 * (decimal, as libvirt stores dnsmasq's); both DHCPv4 leases leave {@code iaid} null.
 */
public record Lease(long expiryTime, String mac, String protocol, String ipAddress, int prefix, String hostname,
        String clientId, String iaid) {
    /** A DHCPv4 lease (no IAID). */
    public Lease(long expiryTime, String mac, String protocol, String ipAddress, int prefix, String hostname, String clientId) {
        this(expiryTime, mac, protocol, ipAddress, prefix, hostname, clientId, null);
    }
}
