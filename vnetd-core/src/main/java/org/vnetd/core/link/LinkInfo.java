package org.vnetd.core.link;

import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.net.MacAddress;

/**
 * One network interface as the kernel reports it. {@code kind} is IFLA_INFO_KIND ("bridge", "tun",
 * "veth"; empty for devices without a driver kind, such as loopback). {@code flags} are the raw
 * IFF_* flags; {@link #up()} is IFF_UP (administratively up).
 */
public record LinkInfo(int index, String name, Optional<String> kind, OptionalInt masterIndex, Optional<String> master,
        int flags, Optional<MacAddress> mac, int mtu) {
    /** IFF_UP from linux/if.h. */
    public static final int IFF_UP = 0x1;
    /** IFF_LOWER_UP: the driver signals carrier. */
    public static final int IFF_LOWER_UP = 0x10000;

    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    public LinkRef ref() {
        return new LinkRef(index, name, mtu);
    }

    public boolean isKind(String k) {
        return kind.map(k::equals).orElse(false);
    }
}
