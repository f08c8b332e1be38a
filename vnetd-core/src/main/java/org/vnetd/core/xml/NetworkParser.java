package org.vnetd.core.xml;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.DhcpDef;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;
import org.vnetd.core.xml.model.DnsmasqOptionDef;
import org.vnetd.core.xml.model.DomainDef;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.LeaseDef;
import org.vnetd.core.xml.model.NatAddressDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PciAddressDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.RouteDef;
import org.vnetd.core.xml.model.VirtualPortDef;
import org.vnetd.core.xml.model.VirtualPortParametersDef;
import org.vnetd.core.xml.model.VlanDef;
import org.vnetd.core.xml.model.VlanTagDef;

/**
 * The checks libvirt's virNetworkDefParseXML makes while reading a network, in the same order and
 * with the same messages, plus canonicalisation of the kept text (addresses, MACs, UUID, numbers)
 * so that formatting writes what libvirt writes.
 */
final class NetworkParser {
    static final String SERVICE_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/*";
    static final String PROTOCOL_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-+/";
    /** dnsmasq's limit for an SRV service name (DNS_RECORD_LENGTH_SRV). */
    static final int DNS_RECORD_LENGTH_SRV = 512 - 30;

    private NetworkParser() {
    }

    static void check(NetworkDef def) {
        String name = def.getName();
        if (name == null) {
            throw parse("network XML has no <name>: missing name information");
        }
        if (name.indexOf('/') >= 0) {
            throw invalid("invalid character '/' in network name '%s'", name);
        }
        if (def.getUuid() != null) {
            // an absent uuid stays absent: identity is the driver's to assign (libvirt's uuid_specified)
            def.setUuid(uuid(def.getUuid(), "uuid element"));
        }
        if (def.getTitle() != null && def.getTitle().indexOf('\n') >= 0) {
            throw invalid("Network title can't contain newlines (network '%s')", name);
        }
        if (def.getIpv6() != null) {
            String v = def.getIpv6();
            if (!v.equals("yes") && !v.equals("no")) {
                throw invalid("Invalid ipv6 setting '%s' in network '%s'", v, name);
            }
        }
        def.setTrustGuestRxFilters(tristate(def.getTrustGuestRxFilters(), "trustGuestRxFilters", "network"));
        domain(def.getDomain());
        if (def.getBandwidth() != null) {
            def.setBandwidth(bandwidth(def.getBandwidth(), false));
        }
        if (def.getVlan() != null) {
            vlan(def.getVlan());
        }
        if (def.getPort() != null) {
            def.getPort().setIsolated(tristate(def.getPort().getIsolated(), "isolated", "port"));
        }
        bridge(def, name);
        if (def.getMac() != null && def.getMac().getAddress() != null) {
            String mac = def.getMac().getAddress();
            MacAddress m = mac(mac, "Invalid bridge mac address '%s' in network '%s'", name);
            if (m.isMulticast()) {
                throw invalid("Invalid multicast bridge mac address '%s' in network '%s'", mac, name);
            }
            def.getMac().setAddress(m.toString());
        } else {
            def.setMac(null);
        }
        if (def.getMtu() != null && def.getMtu().getSize() != null) {
            def.getMtu().setSize(uint(def.getMtu().getSize(), 0xFFFFFFFFL,
                    String.format("Invalid mtu size '%s' in network '%s'", def.getMtu().getSize(), name)));
        }
        if (def.getDns() != null) {
            dns(name, def.getDns());
        }
        if (def.getVirtualPort() != null) {
            virtualPort(def.getVirtualPort(), true);
        }
        for (PortGroupDef pg : def.getPortGroups()) {
            portGroup(pg);
        }
        for (IpDef ip : def.getIps()) {
            ip(name, ip);
        }
        routes(name, def);
        ForwardMode mode = ForwardMode.NONE;
        if (def.getForward() != null) {
            mode = forward(name, def.getForward());
        }
        modeChecks(def, name, mode);
        if (def.getDnsmasqOptions() != null) {
            for (DnsmasqOptionDef o : def.getDnsmasqOptions().getOptions()) {
                if (o.getValue() == null) {
                    throw parse("No dnsmasq options value specified in network '%s'", name);
                }
            }
        }
    }

    // ---------------------------------------------------------------- pieces

    private static void domain(DomainDef d) {
        if (d == null) {
            return;
        }
        d.setLocalOnly(tristate(d.getLocalOnly(), "localOnly", "domain"));
        d.setRegister(tristate(d.getRegister(), "register", "domain"));
    }

    private static void bridge(NetworkDef def, String name) {
        BridgeDef b = def.getBridge();
        if (b == null) {
            return;
        }
        if (b.getDelay() != null) {
            b.setDelay(uint(b.getDelay(), Long.MAX_VALUE,
                    String.format("Invalid delay value in network '%s'", name)));
        }
        if (b.getMacTableManager() != null) {
            String m = b.getMacTableManager();
            if (!m.equals("kernel") && !m.equals("libvirt")) {
                throw invalid("Invalid macTableManager setting '%s' in network '%s'", m, name);
            }
        }
    }

    static void dns(String name, DnsDef dns) {
        dns.setEnable(tristate(dns.getEnable(), "enable", "dns"));
        dns.setForwardPlainNames(tristate(dns.getForwardPlainNames(), "forwardPlainNames", "dns"));
        for (DnsForwarderDef f : dns.getForwarders()) {
            if (f.getAddr() != null) {
                InetAddress a = Addr.tryParse(f.getAddr());
                if (a == null) {
                    throw invalid("Invalid forwarder IP address '%s' in network '%s'", f.getAddr(), name);
                }
                f.setAddr(Addr.format(a));
            }
            if (f.getAddr() == null && f.getDomain() == null) {
                throw parse("Invalid forwarder element, must contain at least one of addr or domain (network '%s')", name);
            }
            if (f.getPort() != null) {
                f.setPort(uint(f.getPort(), 65535,
                        String.format("Invalid forwarder port '%s' in network '%s'", f.getPort(), name)));
            }
        }
        for (DnsHostDef h : dns.getHosts()) {
            dnsHost(name, h, false);
        }
        for (DnsSrvDef s : dns.getSrvs()) {
            srv(name, s, false);
        }
        for (DnsTxtDef t : dns.getTxts()) {
            txt(name, t, false);
        }
        if ("no".equals(dns.getEnable()) && (!dns.getForwarders().isEmpty() || !dns.getHosts().isEmpty()
                || !dns.getSrvs().isEmpty() || !dns.getTxts().isEmpty())) {
            throw parse("Extra data in disabled network '%s'", name);
        }
    }

    static void dnsHost(String name, DnsHostDef h, boolean partialOkay) {
        for (String hn : h.getHostnames()) {
            if (hn == null || hn.isEmpty()) {
                throw invalid("Missing hostname in network '%s' DNS HOST record", name);
            }
        }
        if (h.getHostnames().isEmpty() && !partialOkay) {
            throw invalid("Missing hostname in network '%s' DNS HOST record", name);
        }
        if (h.getIp() != null) {
            InetAddress a = Addr.tryParse(h.getIp());
            if (a == null) {
                throw invalid("Invalid IP address in network '%s' DNS HOST record", name);
            }
            h.setIp(Addr.format(a));
        } else {
            if (!partialOkay) {
                throw invalid("Missing IP address in network '%s' DNS HOST record", name);
            }
            if (h.getHostnames().isEmpty()) {
                throw invalid("Missing ip and hostname in network '%s' DNS HOST record", name);
            }
        }
    }

    static void srv(String name, DnsSrvDef s, boolean partialOkay) {
        String service = s.getService();
        if (service == null && !partialOkay) {
            throw invalid("missing required service attribute in DNS SRV record of network '%s'", name);
        }
        if (service != null) {
            if (service.length() > DNS_RECORD_LENGTH_SRV) {
                throw invalid("service attribute '%s' in network '%s' is too long, limit is %d bytes",
                        service, name, DNS_RECORD_LENGTH_SRV);
            }
            if (!only(service, SERVICE_CHARS)) {
                throw invalid("invalid character in service attribute '%s' in DNS SRV record of network '%s'",
                        service, name);
            }
        }
        if (s.getProtocol() == null && !partialOkay) {
            throw invalid("missing required protocol attribute in DNS SRV record '%s' of network '%s'", service, name);
        }
        if (s.getProtocol() != null && !only(s.getProtocol(), PROTOCOL_CHARS)) {
            throw invalid("invalid character in protocol attribute '%s' in DNS SRV record of network '%s'",
                    s.getProtocol(), name);
        }
        s.setPort(srvNumber(s.getPort(), "port", 1, s, name));
        s.setPriority(srvNumber(s.getPriority(), "priority", 0, s, name));
        s.setWeight(srvNumber(s.getWeight(), "weight", 0, s, name));
    }

    private static String srvNumber(String v, String attr, long min, DnsSrvDef s, String name) {
        if (v == null) {
            return null;
        }
        Long n = parseUnsigned(v);
        if (n != null && s.getTarget() == null) {
            throw invalid("DNS SRV %s attribute not permitted without target for service '%s' in network '%s'",
                    attr, s.getService(), name);
        }
        if (n == null || n < min || n > 65535) {
            throw invalid("invalid DNS SRV %s attribute for service '%s' in network '%s'", attr, s.getService(), name);
        }
        return Long.toString(n);
    }

    static void txt(String name, DnsTxtDef t, boolean partialOkay) {
        if (t.getName() == null) {
            throw invalid("missing required name attribute in DNS TXT record of network %s", name);
        }
        if (t.getName().indexOf(' ') >= 0 || t.getName().indexOf(',') >= 0) {
            throw invalid("prohibited character in DNS TXT record name '%s' of network %s", t.getName(), name);
        }
        if (t.getValue() == null && !partialOkay) {
            throw invalid("missing required value attribute in DNS TXT record named '%s' of network %s",
                    t.getName(), name);
        }
    }

    static void ip(String name, IpDef ip) {
        String address = ip.getAddress();
        if (address == null) {
            throw parse("Missing required address attribute in network '%s'", name);
        }
        InetAddress addr = Addr.tryParse(address);
        if (addr == null) {
            throw invalid("Invalid address '%s' in network '%s'", address, name);
        }
        InetAddress netmask = null;
        if (ip.getNetmask() != null) {
            netmask = Addr.tryParse(ip.getNetmask());
            if (netmask == null) {
                throw invalid("Invalid netmask '%s' in network '%s'", ip.getNetmask(), name);
            }
        }
        int prefix = 0;
        if (ip.getPrefix() != null) {
            Long p = parseUnsigned(ip.getPrefix());
            if (p == null || p > 0xFFFFFFFFL) {
                throw invalid("Invalid value for attribute 'prefix' in element 'ip': '%s'. Expected non-negative integer value",
                        ip.getPrefix());
            }
            prefix = (int) Math.min(p, Integer.MAX_VALUE);
            ip.setPrefix(Long.toString(p));
        }
        ip.setLocalPtr(tristate(ip.getLocalPtr(), "localPtr", "ip"));
        String family = ip.getFamily();
        if (family == null || family.equals("ipv4")) {
            if (!Addr.isV4(addr)) {
                throw invalid("%s family specified for non-IPv4 address '%s' in network '%s'",
                        family == null ? "no" : "ipv4", address, name);
            }
            if (netmask != null) {
                if (!Addr.isV4(netmask)) {
                    throw invalid("Invalid netmask '%s' for address '%s' in network '%s' (both must be IPv4)",
                            ip.getNetmask(), address, name);
                }
                if (prefix > 0) {
                    throw invalid("Network '%s' IP address cannot have both a prefix and a netmask", name);
                }
            } else if (prefix > 32) {
                throw invalid("Invalid IPv4 prefix '%d' in network '%s'", prefix, name);
            }
        } else if (family.equals("ipv6")) {
            if (Addr.isV4(addr)) {
                throw invalid("Family 'ipv6' specified for non-IPv6 address '%s' in network '%s'", address, name);
            }
            if (netmask != null) {
                throw invalid("netmask not allowed for IPv6 address '%s' in network '%s'", address, name);
            }
            if (prefix > 128) {
                throw invalid("Invalid IPv6 prefix '%d' in network '%s'", prefix, name);
            }
        } else {
            throw invalid("Unrecognized family '%s' in network '%s'", family, name);
        }
        ip.setAddress(Addr.format(addr));
        if (netmask != null) {
            ip.setNetmask(Addr.format(netmask));
        }
        DhcpDef dhcp = ip.getDhcp();
        if (dhcp != null) {
            for (DhcpRangeDef r : dhcp.getRanges()) {
                range(name, ip, r);
            }
            for (DhcpHostDef h : dhcp.getHosts()) {
                dhcpHost(name, ip, h, false);
            }
            if (!dhcp.getBootps().isEmpty()) {
                if (Addr.isV4(addr)) {
                    var bootp = dhcp.getBootps().get(0);
                    if (bootp.getFile() == null) {
                        throw parse("Missing required attribute 'file' in element 'bootp' (network '%s')", name);
                    }
                    if (bootp.getServer() != null) {
                        InetAddress s = Addr.tryParse(bootp.getServer());
                        if (s == null) {
                            throw invalid("Invalid bootp server address '%s' in network '%s'", bootp.getServer(), name);
                        }
                        bootp.setServer(Addr.format(s));
                    }
                } else {
                    // libvirt ignores <bootp> below an IPv6 address
                    dhcp.getBootps().clear();
                }
            }
        }
        if (ip.getTftp() != null) {
            if (!Addr.isV4(addr)) {
                throw invalid("Unsupported <tftp> element in an IPv6 element in network '%s'", name);
            }
        }
    }

    static int prefixOf(IpDef ip) {
        int p = ip.getPrefix() == null ? 0 : (int) Math.min(Long.parseLong(ip.getPrefix()), Integer.MAX_VALUE);
        return Addr.prefixOf(Addr.tryParse(ip.getAddress()), Addr.tryParse(ip.getNetmask()), p);
    }

    static void range(String name, IpDef ip, DhcpRangeDef r) {
        if (r.getStart() == null) {
            throw parse("Missing 'start' attribute in dhcp range for network '%s'", name);
        }
        InetAddress start = Addr.tryParse(r.getStart());
        if (start == null) {
            throw invalid("Invalid dhcp range start address '%s' in network '%s'", r.getStart(), name);
        }
        if (r.getEnd() == null) {
            throw parse("Missing 'end' attribute in dhcp range for network '%s'", name);
        }
        InetAddress end = Addr.tryParse(r.getEnd());
        if (end == null) {
            throw invalid("Invalid dhcp range end address '%s' in network '%s'", r.getEnd(), name);
        }
        Addr.checkRange(start, end, Addr.tryParse(ip.getAddress()), prefixOf(ip));
        r.setStart(Addr.format(start));
        r.setEnd(Addr.format(end));
        if (r.getLease() != null) {
            r.setLease(lease(r.getLease()));
        }
    }

    /** Returns the lease to keep, or null when the element carries no expiry (libvirt drops it). */
    static LeaseDef lease(LeaseDef lease) {
        if (lease.getExpiry() == null) {
            return null;
        }
        Long expiry = parseUnsigned(lease.getExpiry());
        if (expiry == null) {
            throw invalid("Invalid value for attribute 'expiry' in element 'lease': '%s'. Expected integer value",
                    lease.getExpiry());
        }
        String unit = lease.getUnit() == null ? "minutes" : lease.getUnit();
        if (!unit.equals("seconds") && !unit.equals("minutes") && !unit.equals("hours")) {
            throw invalid("Invalid value for attribute 'unit' in element 'lease': '%s'", unit);
        }
        if (expiry > 0 && (unit.equals("seconds") && expiry < 120 || unit.equals("minutes") && expiry < 2)) {
            throw invalid("The minimum lease time should be greater than 2 minutes");
        }
        LeaseDef out = new LeaseDef();
        out.setExpiry(Long.toUnsignedString(expiry));
        out.setUnit(unit);
        return out;
    }

    static void dhcpHost(String name, IpDef ip, DhcpHostDef h, boolean partialOkay) {
        boolean v6 = !Addr.isV4(Addr.tryParse(ip.getAddress()));
        if (h.getMac() != null) {
            if (v6) {
                throw invalid("Invalid to specify MAC address '%s' in network '%s' IPv6 static host definition",
                        h.getMac(), name);
            }
            MacAddress m = mac(h.getMac(), "Cannot parse MAC address '%s' in network '%s'", name);
            if (m.isMulticast()) {
                throw invalid("expected unicast mac address, found multicast '%s' in network '%s'", h.getMac(), name);
            }
        }
        if (h.getId() != null) {
            for (char c : h.getId().toCharArray()) {
                if (Character.digit(c, 16) < 0 && c != ':') {
                    throw invalid("Invalid character '%c' in id '%s' of network '%s'", c, h.getId(), name);
                }
            }
        }
        if (h.getName() != null && (h.getName().isEmpty() || !isAsciiAlnum(h.getName().charAt(0)))) {
            throw invalid("Cannot use host name '%s' in network '%s'", h.getName(), name);
        }
        if (h.getIp() != null) {
            InetAddress a = Addr.tryParse(h.getIp());
            if (a == null) {
                throw invalid("Invalid IP address in static host definition for network '%s'", name);
            }
            h.setIp(Addr.format(a));
        }
        if (partialOkay) {
            if (h.getMac() == null && h.getName() == null && h.getIp() == null) {
                throw invalid("At least one of name, mac, or ip attribute must be specified for static host definition in network '%s'",
                        name);
            }
        } else {
            if (v6) {
                if (h.getId() == null && h.getName() == null) {
                    throw invalid("Static host definition in IPv6 network '%s' must have id or name attribute", name);
                }
            } else if (h.getMac() == null && h.getName() == null) {
                throw invalid("Static host definition in IPv4 network '%s' must have mac or name attribute", name);
            }
            if (h.getIp() == null) {
                throw invalid("Missing IP address in static host definition for network '%s'", name);
            }
        }
        if (h.getLease() != null) {
            h.setLease(lease(h.getLease()));
        }
    }

    private static void routes(String name, NetworkDef def) {
        for (RouteDef r : def.getRoutes()) {
            route(name, r);
        }
        for (RouteDef r : def.getRoutes()) {
            InetAddress gw = Addr.tryParse(r.getGateway());
            boolean match = false;
            for (IpDef ip : def.getIps()) {
                InetAddress a = Addr.tryParse(ip.getAddress());
                if (Addr.isV4(a) != Addr.isV4(gw)) {
                    continue;
                }
                int prefix = prefixOf(ip);
                if (prefix >= 0 && Addr.sameNetwork(a, gw, prefix)) {
                    match = true;
                    break;
                }
            }
            if (!match) {
                throw invalid("unreachable static route gateway '%s' specified for network '%s'",
                        Addr.format(gw), name);
            }
        }
    }

    private static void route(String name, RouteDef r) {
        String d = name;
        Long prefix = null;
        if (r.getPrefix() != null) {
            prefix = parseUnsigned(r.getPrefix());
            if (prefix == null) {
                throw invalid("%s: Invalid value for attribute 'prefix' in element 'route': '%s'", d, r.getPrefix());
            }
            r.setPrefix(Long.toString(prefix));
        }
        if (r.getMetric() != null) {
            Long m = parseUnsigned(r.getMetric());
            if (m == null || m == 0) {
                throw invalid("%s: Invalid value for attribute 'metric' in element 'route': '%s'", d, r.getMetric());
            }
            r.setMetric(Long.toString(m));
        }
        if (r.getAddress() == null) {
            throw parse("%s: Missing required address attribute in route definition", d);
        }
        if (r.getGateway() == null) {
            throw parse("%s: Missing required gateway attribute in route definition", d);
        }
        InetAddress a = Addr.tryParse(r.getAddress());
        if (a == null) {
            throw invalid("%s: Bad network address '%s' in route definition", d, r.getAddress());
        }
        InetAddress gw = Addr.tryParse(r.getGateway());
        if (gw == null) {
            throw invalid("%s: Bad gateway address '%s' in route definition", d, r.getGateway());
        }
        InetAddress netmask = null;
        long p = prefix == null ? 0 : prefix;
        String family = r.getFamily();
        if (family == null || family.equals("ipv4")) {
            if (!Addr.isV4(a)) {
                throw invalid(family == null
                        ? "%s: No family specified for non-IPv4 address '%s' in route definition"
                        : "%s: IPv4 family specified for non-IPv4 address '%s' in route definition", d, r.getAddress());
            }
            if (!Addr.isV4(gw)) {
                throw invalid(family == null
                        ? "%s: No family specified for non-IPv4 gateway '%s' in route definition"
                        : "%s: IPv4 family specified for non-IPv4 gateway '%s' in route definition", d, r.getGateway());
            }
            if (r.getNetmask() != null) {
                netmask = Addr.tryParse(r.getNetmask());
                if (netmask == null) {
                    throw invalid("%s: Bad netmask address '%s' in route definition", d, r.getNetmask());
                }
                if (!Addr.isV4(netmask)) {
                    throw invalid("%s: Invalid netmask '%s' for address '%s' (both must be IPv4)", d, r.getNetmask(),
                            r.getAddress());
                }
                if (prefix != null) {
                    throw invalid("%s: Route definition cannot have both a prefix and a netmask", d);
                }
            }
            if (p > 32) {
                throw invalid("%s: Invalid prefix %d specified in route definition, must be 0 - 32", d, p);
            }
        } else if (family.equals("ipv6")) {
            if (Addr.isV4(a)) {
                throw invalid("%s: ipv6 family specified for non-IPv6 address '%s' in route definition", d, r.getAddress());
            }
            if (r.getNetmask() != null) {
                throw invalid("%s: Specifying netmask invalid for IPv6 address '%s' in route definition", d, r.getAddress());
            }
            if (Addr.isV4(gw)) {
                throw invalid("%s: ipv6 specified for non-IPv6 gateway address '%s' in route definition", d, r.getGateway());
            }
            if (p > 128) {
                throw invalid("%s: Invalid prefix %d specified in route definition, must be 0 - 128", d, p);
            }
        } else {
            throw invalid("%s: Unrecognized family '%s' in route definition", d, family);
        }
        int bits = netmask != null ? Addr.netmaskBits(netmask) : (int) p;
        if (bits < 0 || !Addr.value(a).and(Addr.mask(bits, Addr.bits(a))).equals(Addr.value(a))) {
            throw invalid("%s: Address '%s' in route definition is not a network address", d, r.getAddress());
        }
        r.setAddress(Addr.format(a));
        r.setGateway(Addr.format(gw));
        if (netmask != null) {
            r.setNetmask(Addr.format(netmask));
        }
    }

    static void portGroup(PortGroupDef pg) {
        if (pg.getName() == null) {
            throw parse("Missing required name attribute in portgroup");
        }
        pg.setIsDefault(pg.getIsDefault() != null && pg.getIsDefault().equalsIgnoreCase("yes") ? "yes" : null);
        pg.setTrustGuestRxFilters(tristate(pg.getTrustGuestRxFilters(), "trustGuestRxFilters", "portgroup"));
        if (pg.getVirtualPort() != null) {
            virtualPort(pg.getVirtualPort(), false);
        }
        if (pg.getBandwidth() != null) {
            pg.setBandwidth(bandwidth(pg.getBandwidth(), false));
        }
        if (pg.getVlan() != null) {
            vlan(pg.getVlan());
        }
    }

    private static ForwardMode forward(String name, ForwardDef fwd) {
        ForwardMode mode;
        if (fwd.getMode() == null) {
            mode = ForwardMode.NAT;
        } else {
            String m = fwd.getMode();
            mode = null;
            for (ForwardMode fm : ForwardMode.values()) {
                if (fm.xmlName().equals(m)) {
                    mode = fm;
                }
            }
            if (mode == null) {
                throw invalid("unknown forwarding type '%s'", m);
            }
        }
        fwd.setMode(mode.xmlName());
        fwd.setManaged(fwd.getManaged() != null && fwd.getManaged().equalsIgnoreCase("yes") ? "yes" : null);
        if (fwd.getDriver() != null && fwd.getDriver().getName() != null) {
            String dn = fwd.getDriver().getName();
            if (!dn.equals("kvm") && !dn.equals("vfio") && !dn.equals("xen")) {
                throw invalid("Unknown forward <driver name='%s'/> in network %s", dn, name);
            }
        }
        if (fwd.getNats().size() > 1) {
            throw parse("Only one <nat> element is allowed in <forward> of network %s", name);
        }
        if (fwd.getNats().size() == 1) {
            nat(name, mode, fwd.getNats().get(0));
        }
        List<ForwardInterfaceDef> ifs = fwd.getInterfaces();
        List<PciAddressDef> addrs = fwd.getAddresses();
        String dev = fwd.getDev();
        if (dev != null && (!addrs.isEmpty() || !fwd.getPfs().isEmpty())) {
            throw parse("the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s",
                    name);
        }
        if (!ifs.isEmpty() || dev != null) {
            List<ForwardInterfaceDef> out = new ArrayList<>();
            if (dev != null) {
                ForwardInterfaceDef first = new ForwardInterfaceDef();
                first.setDev(dev);
                out.add(first);
            }
            for (int i = 0; i < ifs.size(); i++) {
                ForwardInterfaceDef fi = ifs.get(i);
                if (fi.getDev() == null) {
                    throw parse("Missing required dev attribute in <forward> <interface> element of network %s", name);
                }
                if (i == 0 && dev != null) {
                    if (!fi.getDev().equals(dev)) {
                        throw parse("<forward dev='%s'> must match first <interface dev='%s'/> in network %s",
                                dev, fi.getDev(), name);
                    }
                    out.set(0, fi);
                    continue;
                }
                for (ForwardInterfaceDef prev : out) {
                    if (fi.getDev().equals(prev.getDev())) {
                        throw parse("interface '%s' can only be listed once in network %s", fi.getDev(), name);
                    }
                }
                out.add(fi);
            }
            ifs.clear();
            ifs.addAll(out);
            // libvirt keeps one device pool: netdev names win over PCI addresses and the PF
            addrs.clear();
            fwd.getPfs().clear();
        } else if (!addrs.isEmpty()) {
            for (int i = 0; i < addrs.size(); i++) {
                PciAddressDef a = addrs.get(i);
                if (a.getType() == null) {
                    throw parse("missing address type in network %s", name);
                }
                if (!a.getType().equals("pci")) {
                    if (a.getType().equals("none") || a.getType().equals("netdev")) {
                        throw parse("unsupported address type '%s' in network %s", a.getType(), name);
                    }
                    throw invalid("unknown address type '%s' in network %s", a.getType(), name);
                }
                pciAddress(a);
                for (int j = 0; j < i; j++) {
                    PciAddressDef b = addrs.get(j);
                    if (a.getDomain().equals(b.getDomain()) && a.getBus().equals(b.getBus())
                            && a.getSlot().equals(b.getSlot()) && a.getFunction().equals(b.getFunction())) {
                        throw parse("PCI device '%s:%s:%s.%s' can only be listed once in network %s",
                                a.getDomain().substring(2), a.getBus().substring(2), a.getSlot().substring(2),
                                a.getFunction().substring(2), name);
                    }
                }
            }
            fwd.getPfs().clear();
        } else if (fwd.getPfs().size() > 1) {
            throw parse("Only one <pf> element is allowed in <forward> of network %s", name);
        } else if (fwd.getPfs().size() == 1 && fwd.getPfs().get(0).getDev() == null) {
            throw parse("Missing required dev attribute in <pf> element of network '%s'", name);
        }
        fwd.setDev(ifs.isEmpty() ? null : ifs.get(0).getDev());
        return mode;
    }

    private static void pciAddress(PciAddressDef a) {
        a.setDomain(String.format("0x%04x", pciField(a.getDomain(), "domain", 0xFFFFFFFFL)));
        a.setBus(String.format("0x%02x", pciField(a.getBus(), "bus", 0xFF)));
        a.setSlot(String.format("0x%02x", pciField(a.getSlot(), "slot", 0x1F)));
        a.setFunction(String.format("0x%x", pciField(a.getFunction(), "function", 7)));
        if (a.getMultifunction() != null) {
            a.setMultifunction(tristate(a.getMultifunction(), "multifunction", "address").equals("yes") ? "on" : "off");
        }
    }

    private static long pciField(String v, String field, long max) {
        if (v == null) {
            return 0;
        }
        Long n = parseCNumber(v);
        if (n == null) {
            throw invalid("Cannot parse <address> '%s' attribute", field);
        }
        if (n > max) {
            throw invalid("Invalid PCI address %s. Must be <= 0x%x", field, max);
        }
        return n;
    }

    private static void nat(String name, ForwardMode mode, NatDef nat) {
        if (mode != ForwardMode.NAT) {
            throw parse("The <nat> element can only be used when <forward> 'mode' is 'nat' in network %s", name);
        }
        nat.setIpv6(tristate(nat.getIpv6(), "ipv6", "nat"));
        if (nat.getAddresses().size() > 1) {
            throw parse("Only one <address> element is allowed in <nat> in <forward> in network %s", name);
        }
        if (nat.getAddresses().size() == 1) {
            NatAddressDef a = nat.getAddresses().get(0);
            if (a.getStart() == null) {
                throw parse("missing 'start' attribute in <address> element in <nat> in <forward> in network %s", name);
            }
            if (a.getEnd() == null) {
                throw parse("missing 'end' attribute in <address> element in <nat> in <forward> in network %s", name);
            }
            InetAddress s = Addr.tryParse(a.getStart());
            if (s == null || !Addr.isV4(s)) {
                throw invalid("Bad ipv4 start address '%s' in <nat> in <forward> in network '%s'", a.getStart(), name);
            }
            InetAddress e = Addr.tryParse(a.getEnd());
            if (e == null || !Addr.isV4(e)) {
                throw invalid("Bad ipv4 end address '%s' in <nat> in <forward> in network '%s'", a.getEnd(), name);
            }
            Addr.checkRange(s, e, null, 0);
            a.setStart(Addr.format(s));
            a.setEnd(Addr.format(e));
        }
        if (nat.getPorts().size() > 1) {
            throw parse("Only one <port> element is allowed in <nat> in <forward> in network %s", name);
        }
        if (nat.getPorts().size() == 1) {
            NatPortDef p = nat.getPorts().get(0);
            Long start = p.getStart() == null ? null : parseUnsigned(p.getStart());
            if (start == null || start > 65535) {
                throw invalid("Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network %s", name);
            }
            Long end = p.getEnd() == null ? null : parseUnsigned(p.getEnd());
            if (end == null || end > 65535 || end < start) {
                throw invalid("Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network %s", name);
            }
            p.setStart(Long.toString(start));
            p.setEnd(Long.toString(end));
        }
    }

    /** virNetworkDefParseXML's checks that tie the rest of the definition to the forward mode. */
    private static void modeChecks(NetworkDef def, String name, ForwardMode mode) {
        ForwardDef fwd = def.getForward();
        int nifs = fwd == null ? 0 : fwd.getInterfaces().size() + fwd.getAddresses().size();
        int npfs = fwd == null ? 0 : fwd.getPfs().size();
        BridgeDef b = def.getBridge();
        String bridge = b == null ? null : b.getName();
        String zone = b == null ? null : b.getZone();
        String mtm = b == null ? null : b.getMacTableManager();
        String m = mode.xmlName();
        switch (mode) {
            case NONE -> {
                // isolated: nothing to check
            }
            case ROUTE, NAT, OPEN -> {
                if (def.getIps().isEmpty()) {
                    throw parse("%s forwarding requested, but no IP address provided for network '%s'", m, name);
                }
                if (nifs > 1) {
                    throw parse("multiple forwarding interfaces specified for network '%s', only one is supported", name);
                }
                if (mode == ForwardMode.OPEN && nifs > 0) {
                    throw parse("forward dev not allowed for network '%s' with forward mode='%s'", name, m);
                }
            }
            case PRIVATE, VEPA, PASSTHROUGH, HOSTDEV, BRIDGE -> {
                if (mode != ForwardMode.BRIDGE) {
                    if (bridge != null) {
                        throw parse("bridge name not allowed in %s mode (network '%s')", m, name);
                    }
                    if (zone != null) {
                        throw parse("bridge zone not allowed in %s mode (network '%s')", m, name);
                    }
                    if (mtm != null) {
                        throw parse("bridge macTableManager setting not allowed in %s mode (network '%s')", m, name);
                    }
                }
                boolean delay = b != null && b.getDelay() != null && Long.parseLong(b.getDelay()) != 0;
                if (delay || (b != null && b.getStp() != null) || zone != null) {
                    throw parse("bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in %s (network '%s')",
                            m, name);
                }
                if (bridge != null && (nifs > 0 || npfs > 0)) {
                    throw parse("A network with forward mode='%s' can specify a bridge name or a forward dev, but not both (network '%s')",
                            m, name);
                }
            }
            default -> throw new IllegalStateException(m);
        }
        if (def.getMtu() != null && def.getMtu().getSize() != null && Long.parseLong(def.getMtu().getSize()) != 0
                && !mode.hasBridge()) {
            throw parse("mtu size only allowed in open, route, nat, and isolated mode, not in %s (network '%s')", m, name);
        }
    }

    static BandwidthDef bandwidth(BandwidthDef bw, boolean allowFloor) {
        if (bw.getClassID() != null) {
            throw invalid("classID attribute not supported on <bandwidth> in this usage context");
        }
        if (bw.getInbound() != null) {
            rate(bw.getInbound(), allowFloor);
        }
        if (bw.getOutbound() != null) {
            rate(bw.getOutbound(), false);
        }
        return bw.getInbound() == null && bw.getOutbound() == null ? null : bw;
    }

    private static void rate(BandwidthRateDef r, boolean allowFloor) {
        r.setAverage(ullong(r.getAverage(), "average"));
        r.setPeak(ullong(r.getPeak(), "peak"));
        r.setBurst(ullong(r.getBurst(), "burst"));
        r.setFloor(ullong(r.getFloor(), "floor"));
        if (r.getAverage() == null && r.getFloor() == null) {
            throw invalid("Missing mandatory average or floor attributes");
        }
        if ((r.getPeak() != null || r.getBurst() != null) && r.getAverage() == null) {
            throw invalid("'peak' and 'burst' require 'average' attribute");
        }
        if (r.getFloor() != null && !allowFloor) {
            throw invalid("floor attribute is not supported for this config");
        }
    }

    private static String ullong(String v, String attr) {
        if (v == null) {
            return null;
        }
        Long n = parseUnsigned(v);
        if (n == null) {
            throw invalid("Invalid value for attribute '%s' in element 'bandwidth rate': '%s'. Expected non-negative integer value",
                    attr, v);
        }
        return Long.toUnsignedString(n);
    }

    static void vlan(VlanDef vlan) {
        List<VlanTagDef> tags = vlan.getTags();
        if (tags.isEmpty()) {
            throw parse("missing tag id - each <vlan> must have at least one <tag id='n'/> subelement");
        }
        boolean nativeSeen = false;
        for (VlanTagDef t : tags) {
            if (t.getId() == null) {
                throw parse("Missing required attribute 'id' in element 'tag'");
            }
            Long id = parseUnsigned(t.getId());
            if (id == null) {
                throw invalid("Invalid value for attribute 'id' in element 'tag': '%s'. Expected non-negative integer value",
                        t.getId());
            }
            if (id > 4095) {
                throw invalid("vlan tag id %d too large (maximum 4095)", id);
            }
            t.setId(Long.toString(id));
            if (t.getNativeMode() != null) {
                if (!t.getNativeMode().equals("tagged") && !t.getNativeMode().equals("untagged")) {
                    throw invalid("Invalid value for attribute 'nativeMode' in element 'tag': '%s'", t.getNativeMode());
                }
                if (nativeSeen) {
                    throw invalid("duplicate native vlan setting");
                }
                nativeSeen = true;
            }
        }
        String trunk = vlan.getTrunk();
        boolean isTrunk = tags.size() > 1;
        if (trunk != null) {
            isTrunk = trunk.equalsIgnoreCase("yes");
            if (!isTrunk) {
                if (tags.size() > 1) {
                    throw invalid("invalid \"trunk='%s'\" in <vlan> - trunk='yes' is required for more than one vlan tag", trunk);
                }
                if (nativeSeen) {
                    throw invalid("invalid configuration in <vlan> - \"trunk='no'\" is not allowed with a native vlan id");
                }
                if (!trunk.equalsIgnoreCase("no")) {
                    throw invalid("invalid \"trunk='%s'\" in <vlan> - must be yes or no", trunk);
                }
            }
        }
        vlan.setTrunk(isTrunk ? "yes" : null);
    }

    static void virtualPort(VirtualPortDef vp, boolean requireType) {
        String type = vp.getType();
        if (type != null && !List.of("802.1Qbg", "802.1Qbh", "openvswitch", "midonet").contains(type)) {
            throw invalid("unknown virtualport type %s", type);
        }
        if (type == null && requireType) {
            throw parse("missing required virtualport type");
        }
        VirtualPortParametersDef p = vp.getParameters();
        if (p == null) {
            return;
        }
        if (p.getManagerid() != null) {
            p.setManagerid(Long.toString(vportNumber(p.getManagerid(), "managerid", 0xff)));
        }
        if (p.getTypeid() != null) {
            p.setTypeid(Long.toString(vportNumber(p.getTypeid(), "typeid", 0xffffff)));
        }
        if (p.getTypeidversion() != null) {
            p.setTypeidversion(Long.toString(vportNumber(p.getTypeidversion(), "typeidversion", 0xff)));
        }
        if (p.getInstanceid() != null) {
            p.setInstanceid(uuid(p.getInstanceid(), "instanceid parameter"));
        }
        if (p.getProfileid() != null && p.getProfileid().length() >= 40) {
            throw invalid("profileid parameter too long");
        }
        if (p.getInterfaceid() != null) {
            p.setInterfaceid(uuid(p.getInterfaceid(), "interfaceid parameter"));
        }
        if (type != null) {
            checkNoExtras(type, p);
        }
    }

    /** virNetDevVPortProfileCheckNoExtras: parameters that make no sense for the type. */
    private static void checkNoExtras(String type, VirtualPortParametersDef p) {
        boolean qbg = type.equals("802.1Qbg");
        boolean qbh = type.equals("802.1Qbh");
        boolean ovs = type.equals("openvswitch");
        if (!qbg) {
            String[][] qbgOnly = {{"managerid", p.getManagerid()}, {"typeid", p.getTypeid()},
                    {"typeidversion", p.getTypeidversion()}, {"instanceid", p.getInstanceid()}};
            for (String[] a : qbgOnly) {
                if (a[1] != null) {
                    throw invalid("extra %s specified for %s virtualport", a[0], type);
                }
            }
        }
        if (!(ovs || qbh) && p.getProfileid() != null && !p.getProfileid().isEmpty()) {
            throw invalid("extra profileid specified for %s virtualport", type);
        }
        if (!(ovs || type.equals("midonet")) && p.getInterfaceid() != null) {
            throw invalid("extra interfaceid specified for %s virtualport", type);
        }
    }

    private static long vportNumber(String v, String attr, long max) {
        Long n = parseCNumber(v);
        if (n == null) {
            throw invalid("cannot parse value of %s parameter", attr);
        }
        if (n > max) {
            throw invalid("value of %s out of range", attr);
        }
        return n;
    }

    // ---------------------------------------------------------------- primitives

    /** virUUIDParse: 32 hex digits, dashes allowed between them, surrounding blanks ignored. */
    static String uuid(String text, String what) {
        StringBuilder hex = new StringBuilder(32);
        String t = text.strip();
        for (char c : t.toCharArray()) {
            if (c == '-') {
                continue;
            }
            if (Character.digit(c, 16) < 0 || hex.length() == 32) {
                throw invalid("malformed %s '%s'", what, text);
            }
            hex.append(Character.toLowerCase(c));
        }
        if (hex.length() != 32) {
            throw invalid("malformed %s '%s'", what, text);
        }
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    static MacAddress mac(String text, String fmt, String network) {
        try {
            return MacAddress.parse(text);
        } catch (VnetException | IllegalArgumentException e) {
            throw invalid(fmt, text, network);
        }
    }

    /** virXMLPropTristateBool: absent, "yes" or "no". */
    static String tristate(String v, String attr, String element) {
        if (v == null || v.equals("yes") || v.equals("no")) {
            return v;
        }
        throw invalid("Invalid value for attribute '%s' in element '%s': '%s'. Expected one of 'yes', 'no'",
                attr, element, v);
    }

    /** Decimal unsigned number as strtoul would take it (no sign, no junk), or null. */
    static Long parseUnsigned(String v) {
        if (v == null || v.isEmpty() || v.length() > 19) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(v);
    }

    /** Number in C notation (decimal, 0x hex, 0 octal), as strtoul with base 0 reads it. */
    static Long parseCNumber(String v) {
        try {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (s.startsWith("0x")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseLong(s.substring(1), 8);
            }
            return parseUnsigned(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String uint(String v, long max, String message) {
        Long n = parseUnsigned(v);
        if (n == null || n > max) {
            throw new VnetException(ErrorCode.XML_VALIDATION, message);
        }
        return Long.toString(n);
    }

    private static boolean only(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    static VnetException parse(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_PARSE, fmt, args);
    }

    static VnetException invalid(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_VALIDATION, fmt, args);
    }
}
