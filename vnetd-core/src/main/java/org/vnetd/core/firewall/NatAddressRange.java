package org.vnetd.core.firewall;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/** {@code <nat><address start='…' end='…'/></nat>}: SNAT to these addresses instead of masquerading. */
public record NatAddressRange(InetAddress start, Optional<InetAddress> end) {
    public NatAddressRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    public Family family() {
        return start instanceof Inet4Address ? Family.IPV4 : Family.IPV6;
    }
}
