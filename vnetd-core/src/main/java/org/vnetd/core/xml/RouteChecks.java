package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.parseUnsigned;

import java.net.InetAddress;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.RouteDef;

/** The parse-time checks of static {@code <route>}s (virNetDevIPRouteParseXML) and that each gateway is reachable. */
final class RouteChecks {
    private RouteChecks() {
    }

    static void routes(String name, NetworkDef def) {
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
                int prefix = IpChecks.prefixOf(ip);
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
}
