package org.vnetd.core.ovn;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.ovsdb.OvsdbRemote;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsForwarderDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;

/**
 * Derives a network's OVN rows ({@link OvnNetwork}) from its definition, the same on every host. What
 * OVN cannot be given from the definition is refused here, naming it, rather than left out: a
 * network that starts without what it declares is worse than one that does not start.
 */
public final class OvnNetworkMapper {
    /** libvirt's (dnsmasq's) default lease time. */
    static final long DEFAULT_LEASE_SECONDS = 3600;
    /** OVN's lease_time is an unsigned 32-bit number of seconds; libvirt's expiry='0' (infinite) becomes its largest. */
    static final long INFINITE_LEASE_SECONDS = 0xffffffffL;

    private OvnNetworkMapper() {
    }

    public static OvnNetwork map(NetworkDef def) {
        OvnDef ovn = def.ovn().orElseThrow(() -> new IllegalArgumentException("network '" + def.name() + "' has no <vnetd:ovn>"));
        String name = def.name();
        UUID uuid = def.uuid();
        if (uuid == null) {
            throw new IllegalArgumentException("network '" + name + "' has no uuid yet");
        }
        ForwardMode mode = def.forwardMode();
        if (mode != ForwardMode.NONE && mode != ForwardMode.NAT && mode != ForwardMode.ROUTE) {
            throw unsupported(name, "<forward mode='" + mode.xmlName() + "'> (on OVN: nat, route or none)");
        }
        List<IpDef> ips = def.ips();
        if (ips.stream().anyMatch(ip -> !ip.isIpv4())) {
            throw unsupported(name, "an IPv6 <ip> (on OVN vnetd maps one IPv4 subnet so far)");
        }
        if (ips.size() > 1) {
            throw unsupported(name, ips.size() + " <ip> elements (on OVN vnetd maps one IPv4 subnet so far)");
        }
        if (ips.isEmpty()) {
            throw unsupported(name, "no <ip> (an OVN network needs its IPv4 subnet)");
        }
        IpDef ip = ips.getFirst();
        if (ip.getTftp() != null || ip.bootp().isPresent()) {
            throw unsupported(name, "<tftp>/<bootp> (OVN's DHCP has no TFTP server)");
        }
        IpPrefix subnet = ip.prefix().networkPrefix();
        String gateway = IpAddresses.format(ip.address());
        String switchName = ovn.getLogicalSwitch() != null ? ovn.getLogicalSwitch() : "vnetd-" + uuid;
        String routerMac = def.macAddress().map(m -> m.toLowerCase(Locale.ROOT)).orElse(derivedMac(uuid, 0));

        Optional<OvnRouter> router = Optional.empty();
        if (mode != ForwardMode.NONE) {
            router = Optional.of(new OvnRouter("lr-" + switchName, "lsp-" + switchName + "-router", "lrp-" + switchName,
                    routerMac, gateway + "/" + subnet.length(), uplink(name, mode, ovn), mode == ForwardMode.NAT));
        }

        Map<String, String> reservations = new LinkedHashMap<>();
        for (DhcpHostDef h : ip.hosts()) {
            if (h.getMac() != null && h.getIp() != null) {
                reservations.put(h.getMac().toLowerCase(Locale.ROOT), h.getIp());
            }
        }
        SequencedMap<String, String> dhcp = new LinkedHashMap<>();
        if (ip.hasDhcp()) {
            dhcp.put("lease_time", Long.toString(leaseSeconds(ip)));
            if (router.isPresent()) {
                dhcp.put("router", gateway);
            }
            dhcp.put("server_id", gateway);
            dhcp.put("server_mac", routerMac);
            dhcp.put("dns_server", "{" + String.join(", ", dnsServers(def.getDns(), gateway)) + "}");
            def.domainName().ifPresent(d -> dhcp.put("domain_name", "\"" + d + "\""));
        }
        return new OvnNetwork(uuid.toString(), name, switchName, subnet, excludeIps(subnet, ip, gateway, reservations.values()),
                dhcp, reservations, dnsRecords(def, ip), router,
                OvsdbRemote.parseList(ovn.getNorthbound()).stream().map(Object::toString).toList());
    }

    private static Optional<OvnUplink> uplink(String network, ForwardMode mode, OvnDef ovn) {
        List<String> missing = new ArrayList<>();
        if (ovn.getUplink() == null) {
            missing.add("uplink");
        }
        if (ovn.getUplinkAddress() == null) {
            missing.add("uplinkAddress");
        }
        if (ovn.getGatewayChassis() == null) {
            missing.add("gatewayChassis");
        }
        if (!missing.isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "network '" + network + "' has <forward mode='" + mode.xmlName()
                    + "'> on OVN but its <vnetd:ovn> lacks " + String.join(", ", missing)
                    + ": the router's way out (a provider network on the gateway chassis) must be given (docs/ovn.md)");
        }
        return Optional.of(new OvnUplink(ovn.getUplink(), IpPrefix.parse(ovn.getUplinkAddress()), ovn.getUplinkGateway(),
                ovn.getGatewayChassis()));
    }

    private static long leaseSeconds(IpDef ip) {
        for (DhcpRangeDef r : ip.ranges()) {
            if (r.getLease() != null) {
                long s = r.getLease().seconds();
                return s == 0 ? INFINITE_LEASE_SECONDS : s;
            }
        }
        return DEFAULT_LEASE_SECONDS;
    }

    private static List<String> dnsServers(DnsDef dns, String gateway) {
        List<String> servers = new ArrayList<>();
        if (dns != null) {
            for (DnsForwarderDef f : dns.getForwarders()) {
                if (f.getAddr() != null && IpAddresses.parse(f.getAddr()) instanceof Inet4Address) {
                    servers.add(f.getAddr());
                }
            }
        }
        return servers.isEmpty() ? List.of(gateway) : servers;
    }

    /** Everything of the subnet OVN must not hand out dynamically: the gateway, outside the ranges, the reservations. */
    static String excludeIps(IpPrefix subnet, IpDef ip, String gateway, java.util.Collection<String> reserved) {
        BigInteger first = IpAddresses.toBigInteger(subnet.network()).add(BigInteger.ONE);
        BigInteger last = IpAddresses.toBigInteger(subnet.broadcast()).subtract(BigInteger.ONE);
        // address ranges (inclusive) that are taken: start -> end
        TreeMap<BigInteger, BigInteger> taken = new TreeMap<>();
        taken.put(IpAddresses.toBigInteger(IpAddresses.parse(gateway)), IpAddresses.toBigInteger(IpAddresses.parse(gateway)));
        for (String r : reserved) {
            BigInteger a = IpAddresses.toBigInteger(IpAddresses.parse(r));
            taken.put(a, a);
        }
        List<DhcpRangeDef> ranges = new ArrayList<>(ip.ranges());
        ranges.sort(Comparator.comparing(r -> IpAddresses.toBigInteger(r.start())));
        if (!ranges.isEmpty()) {
            BigInteger next = first;
            for (DhcpRangeDef r : ranges) {
                BigInteger s = IpAddresses.toBigInteger(r.start());
                if (s.compareTo(next) > 0) {
                    taken.merge(next, s.subtract(BigInteger.ONE), BigInteger::max);
                }
                next = next.max(IpAddresses.toBigInteger(r.end()).add(BigInteger.ONE));
            }
            if (next.compareTo(last) <= 0) {
                taken.merge(next, last, BigInteger::max);
            }
        }
        List<String> out = new ArrayList<>();
        BigInteger runStart = null;
        BigInteger runEnd = null;
        for (Map.Entry<BigInteger, BigInteger> e : taken.entrySet()) {
            if (runEnd != null && e.getKey().compareTo(runEnd.add(BigInteger.ONE)) <= 0) {
                runEnd = runEnd.max(e.getValue());
                continue;
            }
            if (runStart != null) {
                out.add(range(runStart, runEnd));
            }
            runStart = e.getKey();
            runEnd = e.getValue();
        }
        if (runStart != null) {
            out.add(range(runStart, runEnd));
        }
        return String.join(" ", out);
    }

    private static String range(BigInteger start, BigInteger end) {
        String s = IpAddresses.format(IpAddresses.fromBigInteger(start, true));
        return start.equals(end) ? s : s + ".." + IpAddresses.format(IpAddresses.fromBigInteger(end, true));
    }

    private static SequencedMap<String, String> dnsRecords(NetworkDef def, IpDef ip) {
        SequencedMap<String, List<String>> names = new LinkedHashMap<>();
        Optional<String> domain = def.domainName();
        if (def.getDns() != null) {
            for (DnsHostDef h : def.getDns().getHosts()) {
                for (String n : h.getHostnames()) {
                    addName(names, n, h.getIp(), domain);
                }
            }
        }
        for (DhcpHostDef h : ip.hosts()) {
            if (h.getName() != null && h.getIp() != null) {
                addName(names, h.getName(), h.getIp(), domain);
            }
        }
        SequencedMap<String, String> records = new LinkedHashMap<>();
        names.forEach((n, addrs) -> records.put(n, String.join(" ", addrs)));
        return records;
    }

    private static void addName(SequencedMap<String, List<String>> names, String name, String address, Optional<String> domain) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> keys = new ArrayList<>(List.of(n));
        if (!n.contains(".") && domain.isPresent()) {
            keys.add(n + "." + domain.get().toLowerCase(Locale.ROOT));
        }
        for (String k : keys) {
            List<String> addrs = names.computeIfAbsent(k, x -> new ArrayList<>());
            if (!addrs.contains(address)) {
                addrs.add(address);
            }
        }
    }

    /** A MAC every host derives alike from the network's uuid (libvirt's 52:54:00 prefix). */
    static String derivedMac(UUID uuid, int which) {
        long bits = uuid.getMostSignificantBits() >>> (40 - 24 * which);
        return String.format("52:54:00:%02x:%02x:%02x", (bits >>> 16) & 0xff, (bits >>> 8) & 0xff, bits & 0xff);
    }

    private static VnetException unsupported(String network, String what) {
        return new VnetException(ErrorCode.OPERATION_UNSUPPORTED, "unsupported configuration: network '" + network
                + "' is bound to OVN and has " + what);
    }
}
