package org.vnetd.core.firewall;

import java.util.Objects;

import org.vnetd.core.net.IpPrefix;

/**
 * One {@code <ip>} of a network as the firewall sees it: the host's address with its prefix, and
 * whether the host serves DHCP (ranges or static hosts) or TFTP on it.
 */
public record FirewallIp(IpPrefix address, boolean dhcp, boolean tftp) {
    public FirewallIp {
        Objects.requireNonNull(address, "address");
    }

    public Family family() {
        return address.isIpv4() ? Family.IPV4 : Family.IPV6;
    }

    /** The subnet with host bits cleared, e.g. 192.168.122.0/24: what rules match on. */
    public IpPrefix subnet() {
        return address.networkPrefix();
    }
}
