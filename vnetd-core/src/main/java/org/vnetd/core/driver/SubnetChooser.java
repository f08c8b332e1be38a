package org.vnetd.core.driver;

import java.util.Collection;
import java.util.Optional;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/**
 * Picks the subnet of the built-in {@code default} network: 192.168.122.0/24 unless something on
 * the host already routes an overlapping prefix, then the next free 192.168.N.0/24 (N = 123…254,
 * then 0…121), as libvirt's packaging does.
 */
public final class SubnetChooser {
    private SubnetChooser() {
    }

    public static Optional<IpPrefix> choose(Collection<IpPrefix> used) {
        for (int k = 0; k < 256; k++) {
            int n = (122 + k) % 256;
            if (n == 255) {
                continue;
            }
            IpPrefix candidate = new IpPrefix(IpAddresses.fromInt((192 << 24) | (168 << 16) | (n << 8)), 24);
            if (used.stream().noneMatch(u -> u.overlaps(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
