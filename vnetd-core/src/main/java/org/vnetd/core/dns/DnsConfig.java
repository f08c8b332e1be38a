package org.vnetd.core.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;

/**
 * Everything the DNS service of one network needs, as plain data drawn from the network XML
 * ({@code <domain>}, {@code <dns>}, the {@code <ip>} elements). The XML model maps onto it; the
 * engine never sees XML.
 *
 * @param enabled           {@code <dns enable='no'>} gives false: no listener at all
 * @param domain            {@code <domain name>}: names in it are answered here (hosts and guests also get {@code name.domain})
 * @param localOnly         {@code <domain localOnly='yes'>}: unknown names in the domain get NXDOMAIN instead of being forwarded
 * @param forwardPlainNames {@code <dns forwardPlainNames>} (default yes): false keeps single-label names local
 * @param interfaceName     the network's bridge (virbr0): only queries that arrive on it are answered, so the
 *                          service is no open resolver for the host's LAN or other networks' guests (CVE-2012-3411);
 *                          empty when DNS is disabled
 * @param listenAddresses   the network's own addresses on its bridge (port 53)
 * @param hosts             {@code <dns><host ip><hostname>…}
 * @param srvRecords        {@code <dns><srv>}
 * @param txtRecords        {@code <dns><txt>}
 * @param forwarders        {@code <dns><forwarder>}; none means the host's resolvers from /etc/resolv.conf
 * @param localPtrSubnets   subnets whose reverse lookups are answered here only ({@code <ip localPtr='yes'>});
 *                          unknown addresses in them get NXDOMAIN instead of being forwarded
 * @param localTtl          TTL of local answers; dnsmasq's default (and so libvirt's) is 0, so guests never cache a lease's name
 * @param addressRules      dnsmasq's {@code address=/DOMAIN/ADDRESS} from {@code <dnsmasq:options>}
 */
public record DnsConfig(boolean enabled, Optional<DnsName> domain, boolean localOnly, boolean forwardPlainNames,
                        String interfaceName, List<InetAddress> listenAddresses, List<Host> hosts, List<Srv> srvRecords, List<Txt> txtRecords,
                        List<Forwarder> forwarders, List<IpPrefix> localPtrSubnets, long localTtl, List<AddressRule> addressRules) {
    public static final int DNS_PORT = 53;

    public DnsConfig {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (enabled && interfaceName.isEmpty()) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DNS needs the bridge it serves; none given");
        }
        listenAddresses = List.copyOf(listenAddresses);
        hosts = List.copyOf(hosts);
        srvRecords = List.copyOf(srvRecords);
        txtRecords = List.copyOf(txtRecords);
        forwarders = List.copyOf(forwarders);
        localPtrSubnets = List.copyOf(localPtrSubnets);
        addressRules = List.copyOf(addressRules);
        if (localTtl < 0 || localTtl > 0x7FFFFFFFL) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DNS local TTL %d out of range", localTtl);
        }
    }

    /** A network with DNS on, no domain and nothing configured: what libvirt's {@code default} network gets. */
    public static DnsConfig defaults(String interfaceName, List<InetAddress> listenAddresses) {
        return new DnsConfig(true, Optional.empty(), false, true, interfaceName, listenAddresses, List.of(), List.of(), List.of(),
                List.of(), List.of(), 0, List.of());
    }

    public static DnsConfig disabled() {
        return new DnsConfig(false, Optional.empty(), false, true, "", List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), 0, List.of());
    }

    public DnsConfig withDomain(String name, boolean localOnly) {
        return new DnsConfig(enabled, Optional.ofNullable(name).map(DnsName::of), localOnly, forwardPlainNames,
                interfaceName, listenAddresses, hosts, srvRecords, txtRecords, forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withForwardPlainNames(boolean forward) {
        return new DnsConfig(enabled, domain, localOnly, forward, interfaceName, listenAddresses, hosts, srvRecords, txtRecords,
                forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withHosts(List<Host> hosts) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords,
                txtRecords, forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withSrvRecords(List<Srv> srv) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srv, txtRecords,
                forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withTxtRecords(List<Txt> txt) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords, txt,
                forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withForwarders(List<Forwarder> forwarders) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords,
                txtRecords, forwarders, localPtrSubnets, localTtl, addressRules);
    }

    public DnsConfig withLocalPtrSubnets(List<IpPrefix> subnets) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords,
                txtRecords, forwarders, subnets, localTtl, addressRules);
    }

    public DnsConfig withAddressRules(List<AddressRule> rules) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords,
                txtRecords, forwarders, localPtrSubnets, localTtl, rules);
    }

    /**
     * dnsmasq's {@code address=/DOMAIN/…/[ADDRESS]}: the domains and every name below them ({@code matchesAll}: every
     * name) answer A or AAAA with {@code addresses} of that family, other types are forwarded; without addresses every
     * such name is NXDOMAIN. A more specific forwarder domain wins, as in dnsmasq's one table of both.
     */
    public record AddressRule(List<DnsName> domains, boolean matchesAll, List<InetAddress> addresses) {
        public AddressRule {
            domains = List.copyOf(domains);
            addresses = List.copyOf(addresses);
            if (domains.isEmpty() && !matchesAll) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "an address rule needs a domain");
            }
        }

        /** The labels of the longest of its domains {@code name} is at or under; -1 when none (0 for {@code #}). */
        public int match(DnsName name) {
            int best = matchesAll ? 0 : -1;
            for (DnsName d : domains) {
                if (name.isUnder(d)) {
                    best = Math.max(best, d.labelCount());
                }
            }
            return best;
        }
    }

    public DnsConfig withLocalTtl(long ttl) {
        return new DnsConfig(enabled, domain, localOnly, forwardPlainNames, interfaceName, listenAddresses, hosts, srvRecords,
                txtRecords, forwarders, localPtrSubnets, ttl, addressRules);
    }

    /** {@code <host ip='…'><hostname>a</hostname><hostname>b</hostname></host>}. */
    public record Host(InetAddress ip, List<String> hostnames) {
        public Host {
            Objects.requireNonNull(ip, "ip");
            hostnames = List.copyOf(hostnames);
            if (hostnames.isEmpty()) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DNS host %s has no hostname", ip.getHostAddress());
            }
            for (String h : hostnames) {
                DnsName.of(h);
            }
        }

        public static Host of(String ip, String... names) {
            return new Host(org.vnetd.core.net.IpAddresses.parse(ip), List.of(names));
        }
    }

    /**
     * {@code <srv service protocol domain target port priority weight>}; the name answered is
     * {@code _service._protocol.domain} (the network's domain when none is given). No target means
     * "service not available" (target {@code .}, RFC 2782).
     */
    public record Srv(String service, String protocol, Optional<String> domain, Optional<String> target, int port,
                      int priority, int weight) {
        public Srv {
            // libvirt: at most 15 characters (RFC 6335); each becomes one label, so no dots or blanks
            if (service == null || service.isEmpty() || service.length() > 15 || !isLabel(service)) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "SRV service '%s' must be 1-15 characters without dots or blanks", service);
            }
            if (protocol == null || protocol.isEmpty() || protocol.length() > 62 || !isLabel(protocol)) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "SRV protocol '%s' of service '%s' is not a single label", protocol, service);
            }
            domain.ifPresent(DnsName::of);
            target.ifPresent(DnsName::of);
            new Rdata.Srv(priority, weight, port, DnsName.ROOT); // range checks of port, priority and weight
        }

        private static boolean isLabel(String s) {
            return s.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '.');
        }

        public static Srv of(String service, String protocol, String domain, String target, int port, int priority, int weight) {
            return new Srv(service, protocol, Optional.ofNullable(domain), Optional.ofNullable(target), port, priority, weight);
        }
    }

    /** {@code <txt name value>}. */
    public record Txt(String name, String value) {
        public Txt {
            DnsName.of(name);
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code <forwarder addr port domain>}: with a domain, names in it go to {@code address} (split DNS);
     * a domain without an address sends them to the default servers (dnsmasq's {@code server=/d/#});
     * an address without a domain is a default server and replaces the host's resolvers.
     */
    public record Forwarder(Optional<InetAddress> address, int port, Optional<DnsName> domain) {
        public Forwarder {
            if (address.isEmpty() && domain.isEmpty()) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DNS forwarder needs an address, a domain or both");
            }
            if (port < 1 || port > 65535) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "DNS forwarder port %d out of range 1-65535", port);
            }
        }

        public static Forwarder to(String address) {
            return new Forwarder(Optional.of(org.vnetd.core.net.IpAddresses.parse(address)), DNS_PORT, Optional.empty());
        }

        public static Forwarder forDomain(String domain, String address, int port) {
            return new Forwarder(Optional.ofNullable(address).map(org.vnetd.core.net.IpAddresses::parse), port,
                    Optional.of(DnsName.of(domain)));
        }
    }
}
