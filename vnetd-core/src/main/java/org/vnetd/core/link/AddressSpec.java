package org.vnetd.core.link;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

import org.vnetd.core.net.IpPrefix;

/**
 * An address to put on an interface: {@code 192.168.122.1/24} with its broadcast (libvirt always sets
 * the IPv4 broadcast), or an IPv6 address, usually with {@code noDad} (IFA_F_NODAD) so the bridge
 * can answer at once instead of waiting for duplicate address detection.
 */
public record AddressSpec(String ifname, IpPrefix prefix, Optional<InetAddress> broadcast, boolean noDad) {
    public AddressSpec {
        LinkNames.check(ifname);
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(broadcast, "broadcast");
        if (broadcast.isPresent() && !(broadcast.get() instanceof Inet4Address && prefix.isIpv4())) {
            throw new IllegalArgumentException("a broadcast address is only meaningful for IPv4, not " + prefix);
        }
    }

    /** IPv4 with the broadcast libvirt would compute (last address of the prefix; none for /31 and /32). */
    public static AddressSpec ipv4(String ifname, IpPrefix prefix) {
        if (!prefix.isIpv4()) {
            throw new IllegalArgumentException(prefix + " is not an IPv4 prefix");
        }
        Optional<InetAddress> bcast = prefix.length() >= 31 ? Optional.empty() : Optional.of(prefix.broadcast());
        return new AddressSpec(ifname, prefix, bcast, false);
    }

    /** IPv6, with or without duplicate address detection. */
    public static AddressSpec ipv6(String ifname, IpPrefix prefix, boolean noDad) {
        if (prefix.isIpv4()) {
            throw new IllegalArgumentException(prefix + " is not an IPv6 prefix");
        }
        return new AddressSpec(ifname, prefix, Optional.empty(), noDad);
    }

    /** Picks {@link #ipv4} or {@link #ipv6} (with NODAD, as libvirt does on its bridges). */
    public static AddressSpec of(String ifname, IpPrefix prefix) {
        return prefix.isIpv4() ? ipv4(ifname, prefix) : ipv6(ifname, prefix, true);
    }
}
