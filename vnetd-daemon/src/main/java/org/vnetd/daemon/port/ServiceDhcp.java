package org.vnetd.daemon.port;

import java.util.List;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.driver.NetworkServices;

/** {@link PortDhcp} over the daemon's per-network services. */
public final class ServiceDhcp implements PortDhcp {
    private final NetworkServices services;

    public ServiceDhcp(NetworkServices services) {
        this.services = services;
    }

    @Override
    public void setReservations(String network, List<DhcpConfig.StaticHost> hosts) {
        services.setPortReservations(network, hosts);
    }

    @Override
    public int release(String network, MacAddress mac) {
        return services.releaseLeases(network, mac);
    }
}
