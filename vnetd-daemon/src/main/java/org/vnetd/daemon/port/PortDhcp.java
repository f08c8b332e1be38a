package org.vnetd.daemon.port;

import java.util.List;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.net.MacAddress;

/** What ports need from the networks' DHCP servers: their reservations, and ending a guest's leases. */
public interface PortDhcp {
    /** Replaces the reservations ports hold on {@code network}. */
    void setReservations(String network, List<DhcpConfig.StaticHost> hosts);

    /** Ends the leases of {@code mac} on {@code network}; returns how many. */
    int release(String network, MacAddress mac);
}
