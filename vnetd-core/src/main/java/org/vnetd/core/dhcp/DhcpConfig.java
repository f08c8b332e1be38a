package org.vnetd.core.dhcp;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;

/**
 * Everything one network's DHCP server needs, as plain data computed from the network XML.
 *
 * @param interfaceName   the bridge the socket is bound to (virbr0)
 * @param serverAddress   the bridge's address: server identifier, and the source of replies
 * @param subnet          the subnet served (authoritative: requests for other addresses are NAKed)
 * @param ranges          dynamic pools; may be empty when only static hosts are served
 * @param hosts           static reservations, never offered to anyone else
 * @param defaultLeaseTime lease time when a range/host gives none (libvirt/dnsmasq: 1 hour)
 * @param router          option 3, or null to send none (isolated networks)
 * @param dnsServers      option 6; empty sends none
 * @param domainName      option 15, or null
 * @param mtu             option 26, or null
 * @param bootp           PXE boot file and server, or null
 * @param tftpRoot        directory of libvirt's {@code <tftp root>}: when set, this host is the boot server
 * @param optionOverrides options sent instead of the server's own, or not at all ({@code dhcp-option} of
 *                        {@code <dnsmasq:options>}), applied in order
 */
public record DhcpConfig(String interfaceName, Inet4Address serverAddress, IpPrefix subnet, List<Range> ranges,
        List<StaticHost> hosts, Duration defaultLeaseTime, Inet4Address router, List<Inet4Address> dnsServers,
        String domainName, Integer mtu, Bootp bootp, String tftpRoot, List<OptionOverride> optionOverrides) {
    /** libvirt's and dnsmasq's default lease time. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofHours(1);
    /** A lease that never expires: RFC 2131's 0xffffffff seconds. Any duration at least this long is infinite. */
    public static final Duration INFINITE = Duration.ofSeconds(0xFFFF_FFFFL);

    /** One {@code <range start end>}; {@code leaseTime} null means the default. */
    public record Range(Inet4Address start, Inet4Address end, Duration leaseTime) {
        public Range {
            Objects.requireNonNull(start, "range start");
            Objects.requireNonNull(end, "range end");
            if (Integer.compareUnsigned(IpAddresses.toInt(start), IpAddresses.toInt(end)) > 0) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "DHCP range start %s is after its end %s",
                        start.getHostAddress(), end.getHostAddress());
            }
        }

        public Range(Inet4Address start, Inet4Address end) {
            this(start, end, null);
        }

        public long size() {
            return Integer.toUnsignedLong(IpAddresses.toInt(end)) - Integer.toUnsignedLong(IpAddresses.toInt(start)) + 1;
        }

        public boolean contains(int ip) {
            return Integer.compareUnsigned(ip, IpAddresses.toInt(start)) >= 0
                    && Integer.compareUnsigned(ip, IpAddresses.toInt(end)) <= 0;
        }
    }

    /** One {@code <host mac|id name ip>}; at least one of mac/clientId. {@code leaseTime} null means default. */
    public record StaticHost(MacAddress mac, ClientId clientId, String name, Inet4Address ip, Duration leaseTime) {
        public StaticHost {
            Objects.requireNonNull(ip, "host ip");
            if (mac == null && clientId == null) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "static DHCP host %s needs a mac or an id",
                        ip.getHostAddress());
            }
        }

        public StaticHost(MacAddress mac, String name, Inet4Address ip) {
            this(mac, null, name, ip, null);
        }
    }

    /** libvirt's {@code <bootp file server>}; server null means this host. */
    public record Bootp(String file, Inet4Address server) {
        public Bootp {
            Objects.requireNonNull(file, "bootp file");
        }
    }

    public DhcpConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(serverAddress, "serverAddress");
        Objects.requireNonNull(subnet, "subnet");
        ranges = List.copyOf(ranges == null ? List.of() : ranges);
        hosts = List.copyOf(hosts == null ? List.of() : hosts);
        optionOverrides = List.copyOf(optionOverrides == null ? List.of() : optionOverrides);
        dnsServers = List.copyOf(dnsServers == null ? List.of() : dnsServers);
        defaultLeaseTime = defaultLeaseTime == null ? DEFAULT_LEASE_TIME : defaultLeaseTime;
        if (!subnet.isIpv4() || subnet.length() > 30) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "DHCP subnet %s must be IPv4 with room for hosts", subnet);
        }
        if (!subnet.contains(serverAddress)) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "DHCP server address %s is outside %s",
                    serverAddress.getHostAddress(), subnet);
        }
        if (mtu != null && (mtu < 68 || mtu > 65535)) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "MTU %d out of range 68-65535", mtu);
        }
        if (defaultLeaseTime.isNegative() || defaultLeaseTime.isZero()) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "default lease time must be positive");
        }
        for (Range r : ranges) {
            if (!subnet.contains(r.start()) || !subnet.contains(r.end())) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "DHCP range %s-%s is outside %s on %s",
                        r.start().getHostAddress(), r.end().getHostAddress(), subnet, interfaceName);
            }
        }
        Set<Inet4Address> ips = new HashSet<>();
        Set<MacAddress> macs = new HashSet<>();
        Set<ClientId> ids = new HashSet<>();
        for (StaticHost h : hosts) {
            if (!subnet.contains(h.ip())) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "static DHCP host %s is outside %s",
                        h.ip().getHostAddress(), subnet);
            }
            if (h.ip().equals(serverAddress)) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "static DHCP host %s is the server's own address",
                        h.ip().getHostAddress());
            }
            if (!ips.add(h.ip()) || (h.mac() != null && !macs.add(h.mac()))
                    || (h.clientId() != null && !ids.add(h.clientId()))) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "duplicate static DHCP host %s (ip, mac or id used twice)",
                        h.ip().getHostAddress());
            }
        }
    }

    /** A minimal config: one range, defaults elsewhere, router and DNS on the server address. */
    public static DhcpConfig simple(String iface, IpPrefix serverPrefix, Inet4Address start, Inet4Address end) {
        Inet4Address server = (Inet4Address) serverPrefix.address();
        return new DhcpConfig(iface, server, serverPrefix.networkPrefix(), List.of(new Range(start, end)), List.of(),
                DEFAULT_LEASE_TIME, server, List.of(server), null, null, null, null, List.of());
    }

    public DhcpConfig withRanges(List<Range> r) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, r, hosts, defaultLeaseTime, router, dnsServers,
                domainName, mtu, bootp, tftpRoot, optionOverrides);
    }

    public DhcpConfig withHosts(List<StaticHost> h) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, ranges, h, defaultLeaseTime, router, dnsServers,
                domainName, mtu, bootp, tftpRoot, optionOverrides);
    }

    public DhcpConfig withOptions(Inet4Address newRouter, List<Inet4Address> dns, String domain, Integer newMtu) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, ranges, hosts, defaultLeaseTime, newRouter, dns,
                domain, newMtu, bootp, tftpRoot, optionOverrides);
    }

    public DhcpConfig withBoot(Bootp b, String tftp) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, ranges, hosts, defaultLeaseTime, router, dnsServers,
                domainName, mtu, b, tftp, optionOverrides);
    }

    public DhcpConfig withDefaultLeaseTime(Duration d) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, ranges, hosts, d, router, dnsServers,
                domainName, mtu, bootp, tftpRoot, optionOverrides);
    }

    /** Without option overrides: the server's own options only. */
    public DhcpConfig(String interfaceName, Inet4Address serverAddress, IpPrefix subnet, List<Range> ranges, List<StaticHost> hosts,
            Duration defaultLeaseTime, Inet4Address router, List<Inet4Address> dnsServers, String domainName, Integer mtu,
            Bootp bootp, String tftpRoot) {
        this(interfaceName, serverAddress, subnet, ranges, hosts, defaultLeaseTime, router, dnsServers, domainName, mtu, bootp,
                tftpRoot, List.of());
    }

    public DhcpConfig withOptionOverrides(List<OptionOverride> overrides) {
        return new DhcpConfig(interfaceName, serverAddress, subnet, ranges, hosts, defaultLeaseTime, router, dnsServers,
                domainName, mtu, bootp, tftpRoot, overrides);
    }

    /** One option's value sent instead of the server's own; empty: the option is not sent. */
    public record OptionOverride(int code, Optional<byte[]> value) {
        public OptionOverride {
            if (code < 1 || code > 254) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DHCP option code %d out of range 1-254", code);
            }
            value = value.map(byte[]::clone);
            if (value.isPresent() && value.get().length > 255) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DHCP option %d is longer than 255 bytes", code);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OptionOverride other && code == other.code && value.isPresent() == other.value.isPresent()
                    && (value.isEmpty() || java.util.Arrays.equals(value.get(), other.value.get()));
        }

        @Override
        public int hashCode() {
            return 31 * code + value.map(java.util.Arrays::hashCode).orElse(0);
        }
    }

    public static boolean isInfinite(Duration d) {
        return d.compareTo(INFINITE) >= 0;
    }
}
