package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.isAsciiAlnum;
import static org.vnetd.core.xml.XmlValues.mac;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.parseUnsigned;
import static org.vnetd.core.xml.XmlValues.tristate;

import java.net.InetAddress;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.DhcpDef;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.LeaseDef;

/** The parse-time checks of an {@code <ip>} element and its {@code <dhcp>} ranges, hosts and leases (virNetworkIPDefParseXML). */
final class IpChecks {
    private IpChecks() {
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
}
