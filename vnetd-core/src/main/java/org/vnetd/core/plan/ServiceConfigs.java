package org.vnetd.core.plan;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.dns.DnsName;
import org.vnetd.core.dnsmasq.DnsmasqOptions;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallIp;
import org.vnetd.core.firewall.FirewallNetwork;
import org.vnetd.core.firewall.NatAddressRange;
import org.vnetd.core.firewall.PortRange;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.dhcp6.Dhcp6Config;
import org.vnetd.core.dhcp6.Duid;
import org.vnetd.core.ra.NdpOption;
import org.vnetd.core.ra.RaConfig;
import org.vnetd.core.ra.RaTiming;
import org.vnetd.core.xml.model.BootpDef;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.LeaseDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * Maps a network definition onto the plain-data configurations of the firewall planner, the DHCP
 * server, the router advertisements and the DNS service (the XML model stays out of those engines), following what libvirt
 * hands to iptables/nftables and writes into dnsmasq's config.
 */
public final class ServiceConfigs {
    private ServiceConfigs() {
    }

    /** The firewall view of a bridge-based network (nat, route, open, isolated). */
    public static FirewallNetwork firewall(NetworkDef def) {
        ForwardMode m = def.forwardMode();
        org.vnetd.core.firewall.ForwardMode mode = switch (m) {
            case NAT -> org.vnetd.core.firewall.ForwardMode.NAT;
            case ROUTE -> org.vnetd.core.firewall.ForwardMode.ROUTE;
            case OPEN -> org.vnetd.core.firewall.ForwardMode.OPEN;
            case NONE -> org.vnetd.core.firewall.ForwardMode.ISOLATED;
            default -> throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "forward mode '%s' has no firewall", m.xmlName());
        };
        List<FirewallIp> ips = new ArrayList<>();
        for (IpDef ip : def.ips()) {
            ips.add(new FirewallIp(ip.prefix(), ip.hasDhcp(), ip.getTftp() != null));
        }
        Optional<NatAddressRange> natAddresses = Optional.empty();
        Optional<PortRange> natPorts = Optional.empty();
        boolean natIpv6 = false;
        NatDef nat = def.nat();
        if (nat != null && mode == org.vnetd.core.firewall.ForwardMode.NAT) {
            if (!nat.getAddresses().isEmpty()) {
                var a = nat.getAddresses().get(0);
                natAddresses = Optional.of(new NatAddressRange(IpAddresses.parse(a.getStart()),
                        Optional.ofNullable(a.getEnd()).map(IpAddresses::parse)));
            }
            if (!nat.getPorts().isEmpty()) {
                var p = nat.getPorts().get(0);
                natPorts = Optional.of(new PortRange(Integer.parseInt(p.getStart()), Integer.parseInt(p.getEnd())));
            }
            natIpv6 = "yes".equals(nat.getIpv6());
        }
        return new FirewallNetwork(def.name(), def.bridgeName().orElseThrow(), mode, def.forwardDev(), ips, natAddresses,
                natPorts, natIpv6, dnsEnabled(def), "yes".equals(def.getIpv6()));
    }

    public static boolean dnsEnabled(NetworkDef def) {
        return def.getDns() == null || !"no".equals(def.getDns().getEnable());
    }

    /** The DHCP server of the first IPv4 {@code <ip>} with {@code <dhcp>}, as libvirt/dnsmasq serve it. */
    public static Optional<DhcpConfig> dhcp(NetworkDef def) {
        for (IpDef ip : def.ips()) {
            if (!ip.isIpv4() || !ip.hasDhcp()) {
                continue;
            }
            IpPrefix p = ip.prefix();
            Inet4Address server = (Inet4Address) p.address();
            List<DhcpConfig.Range> ranges = new ArrayList<>();
            for (DhcpRangeDef r : ip.ranges()) {
                ranges.add(new DhcpConfig.Range((Inet4Address) IpAddresses.parse(r.getStart()),
                        (Inet4Address) IpAddresses.parse(r.getEnd()), leaseTime(r.getLease())));
            }
            List<DhcpConfig.StaticHost> hosts = new ArrayList<>();
            for (DhcpHostDef h : ip.hosts()) {
                if (h.getIp() == null) {
                    continue; // a host with only a name: DNS knows it, DHCP hands no fixed address
                }
                hosts.add(new DhcpConfig.StaticHost(h.getMac() == null ? null : MacAddress.parse(h.getMac()),
                        h.getId() == null ? null : ClientId.parse(h.getId()), h.getName(),
                        (Inet4Address) IpAddresses.parse(h.getIp()), leaseTime(h.getLease())));
            }
            boolean routed = def.forwardMode() == ForwardMode.NAT || def.forwardMode() == ForwardMode.ROUTE
                    || def.forwardMode() == ForwardMode.OPEN;
            // dnsmasq on an isolated network still names itself router unless told otherwise; libvirt
            // sends no router option there (dhcp-option=3), so guests do not route through the host
            Inet4Address router = routed ? server : null;
            List<Inet4Address> dns = dnsEnabled(def) ? List.of(server) : List.of();
            DhcpConfig cfg = new DhcpConfig(def.bridgeName().orElseThrow(), server, p.networkPrefix(), ranges, hosts,
                    DhcpConfig.DEFAULT_LEASE_TIME, router, dns, def.domainName().orElse(null), def.mtu().orElse(null), null,
                    ip.getTftp() == null ? null : ip.getTftp().getRoot());
            Optional<BootpDef> bootp = ip.bootp();
            if (bootp.isPresent()) {
                cfg = cfg.withBoot(new DhcpConfig.Bootp(bootp.get().getFile(), bootp.get().getServer() == null ? null
                        : (Inet4Address) IpAddresses.parse(bootp.get().getServer())), cfg.tftpRoot());
            }
            return Optional.of(cfg.withOptionOverrides(dnsmasqOptions(def, server).dhcpOptions()));
        }
        return Optional.empty();
    }

    /**
     * The DHCPv6 server of the first IPv6 {@code <ip>} with {@code <dhcp>}, as libvirt has dnsmasq serve
     * it: its ranges (with their {@code <lease>}), {@code <host id='DUID' name ip>} reservations and
     * {@code <host name ip>} names, the bridge address as DNS server while vnetd serves DNS, the
     * {@code <domain>} as search domain. The server identifier is a DUID-UUID (RFC 6355) of the
     * network's UUID, stable across restarts and distinct per network.
     */
    public static Optional<Dhcp6Config> dhcp6(NetworkDef def) {
        for (IpDef ip : def.ips()) {
            if (ip.isIpv4() || !ip.hasDhcp() || !def.forwardMode().hasBridge()) {
                continue;
            }
            List<Dhcp6Config.Range> ranges = new ArrayList<>();
            for (DhcpRangeDef r : ip.ranges()) {
                ranges.add(new Dhcp6Config.Range((Inet6Address) IpAddresses.parse(r.getStart()),
                        (Inet6Address) IpAddresses.parse(r.getEnd()), leaseTime(r.getLease())));
            }
            List<Dhcp6Config.Host> hosts = new ArrayList<>();
            for (DhcpHostDef h : ip.hosts()) {
                if (h.getIp() != null) {
                    hosts.add(new Dhcp6Config.Host(h.getId() == null ? null : Duid.parse(h.getId()), h.getName(),
                            (Inet6Address) IpAddresses.parse(h.getIp()), leaseTime(h.getLease())));
                }
            }
            // a live definition always has its uuid (the driver assigns one); a bare XML falls back to its name
            UUID uuid = def.uuid() != null ? def.uuid() : UUID.nameUUIDFromBytes(def.name().getBytes(StandardCharsets.UTF_8));
            ByteBuffer duid = ByteBuffer.allocate(18).putShort((short) 4).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            List<Inet6Address> dns = dnsEnabled(def) ? List.of((Inet6Address) ip.address()) : List.of();
            return Optional.of(new Dhcp6Config(def.bridgeName().orElseThrow(), new Duid(duid.array()), ip.prefix(), ranges, hosts,
                    dns, def.domainName().map(List::of).orElse(List.of()), Dhcp6Config.DEFAULT_LEASE));
        }
        return Optional.empty();
    }

    /**
     * The router advertisements of a network's IPv6 addresses, as libvirt configures dnsmasq: when an
     * IPv6 {@code <ip>} has {@code <dhcp>} libvirt writes {@code enable-ra} and a stateful
     * {@code dhcp-range} for it alone, so dnsmasq advertises that one prefix with the M and O flags and
     * without the autonomous flag; otherwise each IPv6 {@code <ip>} gets {@code dhcp-range=…,ra-only}:
     * its prefix with the autonomous flag (SLAAC), no M or O. An isolated network's
     * {@code ra-param=*,0,0} makes the router lifetime 0 (no default route); other modes send 3 ×
     * MaxRtrAdvInterval. RDNSS names the advertised address while vnetd serves DNS there (dnsmasq names
     * its link-local address, which vnetd's DNS does not listen on); MTU goes out when {@code <mtu>} is set.
     */
    public static Optional<RaConfig> ra(NetworkDef def) {
        List<IpDef> v6 = def.ips().stream().filter(ip -> !ip.isIpv4()).toList();
        if (v6.isEmpty() || !def.forwardMode().hasBridge()) {
            return Optional.empty();
        }
        Optional<IpDef> stateful = v6.stream().filter(IpDef::hasDhcp).findFirst();
        List<IpDef> advertised = stateful.map(List::of).orElse(v6);
        RaTiming timing = RaTiming.DEFAULT;
        List<NdpOption.PrefixInformation> prefixes = new ArrayList<>();
        long lifetime = RA_PREFIX_LIFETIME.toSeconds();
        for (IpDef ip : advertised) {
            long valid = stateful.isPresent() ? prefixLifetime(ip, timing) : lifetime;
            prefixes.add(new NdpOption.PrefixInformation(ip.prefix().networkPrefix(), true, stateful.isEmpty(), valid, valid));
            lifetime = Math.min(lifetime, valid);
        }
        int routerLifetime = def.forwardMode() == ForwardMode.NONE ? 0 : (int) (3 * timing.max().toSeconds());
        List<Inet6Address> dns = dnsEnabled(def) ? List.of((Inet6Address) advertised.get(0).address()) : List.of();
        OptionalLong mtu = def.mtu().isPresent() ? OptionalLong.of(def.mtu().get()) : OptionalLong.empty();
        boolean managed = stateful.isPresent();
        return Optional.of(new RaConfig(def.bridgeName().orElseThrow(), managed, managed, routerLifetime, prefixes, dns, lifetime,
                mtu, timing));
    }

    /**
     * Prefix lifetimes: dnsmasq's default lease time (1 h) unless the range sets a lease, which then
     * counts, but never below 3 × MaxRtrAdvInterval (dnsmasq's floor); an infinite lease is infinite.
     */
    private static long prefixLifetime(IpDef ip, RaTiming timing) {
        long floor = 3 * timing.max().toSeconds();
        long out = RA_PREFIX_LIFETIME.toSeconds();
        for (DhcpRangeDef r : ip.ranges()) {
            Duration lease = leaseTime(r.getLease());
            if (lease != null) {
                out = lease.equals(DhcpConfig.INFINITE) ? NdpOption.INFINITE : Math.max(floor, lease.toSeconds());
            }
        }
        return out;
    }

    /** dnsmasq's default lease time, which its router advertisements use as prefix lifetime. */
    static final Duration RA_PREFIX_LIFETIME = Duration.ofHours(1);

    /** libvirt's {@code <lease expiry='N' unit='seconds|minutes|hours'/>}; expiry 0 is infinite. */
    static Duration leaseTime(LeaseDef lease) {
        if (lease == null || lease.getExpiry() == null) {
            return null;
        }
        long n = Long.parseLong(lease.getExpiry());
        if (n == 0) {
            return DhcpConfig.INFINITE;
        }
        String unit = lease.getUnit() == null ? "minutes" : lease.getUnit().toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "seconds" -> Duration.ofSeconds(n);
            case "hours" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** The DNS service: listens on the network's addresses, answers its hosts, forwards the rest. */
    public static DnsConfig dns(NetworkDef def) {
        if (!dnsEnabled(def) || def.ips().isEmpty()) {
            return DnsConfig.disabled();
        }
        List<InetAddress> listen = new ArrayList<>();
        List<IpPrefix> localPtr = new ArrayList<>();
        for (IpDef ip : def.ips()) {
            listen.add(ip.address());
            if ("yes".equals(ip.getLocalPtr())) {
                localPtr.add(ip.prefix().networkPrefix());
            }
        }
        DnsConfig cfg = DnsConfig.defaults(def.bridgeName().orElseThrow(), listen).withLocalPtrSubnets(localPtr);
        if (def.getDomain() != null && def.getDomain().getName() != null) {
            cfg = cfg.withDomain(def.getDomain().getName(), "yes".equals(def.getDomain().getLocalOnly()));
        }
        DnsDef dns = def.getDns();
        if (dns != null) {
            if ("no".equals(dns.getForwardPlainNames())) {
                cfg = cfg.withForwardPlainNames(false);
            }
            List<DnsConfig.Host> hosts = new ArrayList<>();
            for (DnsHostDef h : dns.getHosts()) {
                hosts.add(new DnsConfig.Host(IpAddresses.parse(h.getIp()), h.getHostnames()));
            }
            List<DnsConfig.Srv> srvs = new ArrayList<>();
            for (DnsSrvDef s : dns.getSrvs()) {
                srvs.add(DnsConfig.Srv.of(s.getService(), s.getProtocol(), s.getDomain(), s.getTarget(), intOr(s.getPort(), 0),
                        intOr(s.getPriority(), 0), intOr(s.getWeight(), 0)));
            }
            List<DnsConfig.Txt> txts = new ArrayList<>();
            for (DnsTxtDef t : dns.getTxts()) {
                txts.add(new DnsConfig.Txt(t.getName(), t.getValue() == null ? "" : t.getValue()));
            }
            List<DnsConfig.Forwarder> fwd = new ArrayList<>();
            for (DnsForwarderDef f : dns.getForwarders()) {
                fwd.add(new DnsConfig.Forwarder(Optional.ofNullable(f.getAddr()).map(IpAddresses::parse), intOr(f.getPort(), 53),
                        Optional.ofNullable(f.getDomain()).map(DnsName::of)));
            }
            cfg = cfg.withHosts(hosts).withSrvRecords(srvs).withTxtRecords(txts).withForwarders(fwd);
        }
        DnsmasqOptions.Applied dnsmasq = dnsmasqOptions(def, null);
        if (dnsmasq.domainNeeded()) {
            cfg = cfg.withForwardPlainNames(false);
        }
        if (!dnsmasq.forwarders().isEmpty()) {
            List<DnsConfig.Forwarder> fwd = new ArrayList<>(cfg.forwarders());
            fwd.addAll(dnsmasq.forwarders());
            cfg = cfg.withForwarders(fwd);
        }
        cfg = cfg.withAddressRules(dnsmasq.addressRules());
        // DHCP hosts with a name and an address are resolvable, as with dnsmasq's dhcp-host
        List<DnsConfig.Host> withDhcpNames = new ArrayList<>(cfg.hosts());
        for (IpDef ip : def.ips()) {
            for (DhcpHostDef h : ip.hosts()) {
                if (h.getName() != null && h.getIp() != null && DnsName.isHostLabel(h.getName())) {
                    withDhcpNames.add(new DnsConfig.Host(IpAddresses.parse(h.getIp()), List.of(h.getName())));
                }
            }
        }
        return cfg.withHosts(withDhcpNames);
    }

    /** What {@code <dnsmasq:options>} asks of vnetd's own servers ({@link DnsmasqOptions}). */
    private static DnsmasqOptions.Applied dnsmasqOptions(NetworkDef def, Inet4Address dhcpServer) {
        if (def.getDnsmasqOptions() == null) {
            return DnsmasqOptions.Applied.NONE;
        }
        return DnsmasqOptions.apply(def.getDnsmasqOptions().getOptions().stream().map(DnsmasqOptionDef::getValue).toList(), dhcpServer);
    }

    private static int intOr(String s, int dflt) {
        return s == null || s.isEmpty() ? dflt : Integer.parseInt(s);
    }
}
