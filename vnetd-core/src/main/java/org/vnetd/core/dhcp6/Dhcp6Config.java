package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.vnetd.core.net.IpPrefix;

/**
 * What one bridge's DHCPv6 server hands out: addresses of its {@code <range>}s, {@code <host>}
 * reservations (by DUID, or by name only), DNS servers and search domains, lease times. Plain data.
 */
public record Dhcp6Config(String interfaceName, Duid serverId, IpPrefix subnet, List<Range> ranges, List<Host> hosts,
        List<Inet6Address> dnsServers, List<String> domains, Duration defaultLease) {
    /** dnsmasq's default lease time, which libvirt leaves as it is unless {@code <lease>} says otherwise. */
    public static final Duration DEFAULT_LEASE = Duration.ofHours(1);
    public static final Duration INFINITE = Duration.ofSeconds(Dhcp6Option.INFINITE);

    /** {@code lease} null: the default. */
    public record Range(Inet6Address start, Inet6Address end, Duration lease) {
        public Range {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }

    /** {@code id} null: a host known by name only (libvirt's {@code <host name ip>}: the address, no client to bind it to). */
    public record Host(Duid id, String name, Inet6Address ip, Duration lease) {
        public Host {
            Objects.requireNonNull(ip, "ip");
        }
    }

    public Dhcp6Config {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(subnet, "subnet");
        ranges = List.copyOf(ranges);
        hosts = List.copyOf(hosts);
        dnsServers = List.copyOf(dnsServers);
        domains = List.copyOf(domains);
        Objects.requireNonNull(defaultLease, "defaultLease");
    }
}
