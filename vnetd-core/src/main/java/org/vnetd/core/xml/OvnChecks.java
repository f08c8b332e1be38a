package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.parse;

import java.util.List;
import javax.xml.namespace.QName;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;

/**
 * Checks of {@code <vnetd:ovn>} (docs/ovn.md). Values are kept as written: the element is vnetd's own,
 * so there is no libvirt output to match, and what the user wrote round-trips byte for byte.
 */
final class OvnChecks {
    /** OVN names are free strings; these keep them usable in {@code ovn-nbctl} and in log lines. */
    private static final int NAME_MAX = 253;

    private OvnChecks() {
    }

    static void check(String network, NetworkDef def) {
        List<OvnDef> ovns = def.getOvns();
        if (ovns.size() > 1) {
            throw parse("network '%s' has %d <vnetd:ovn> elements; at most one is allowed", network, ovns.size());
        }
        if (ovns.isEmpty()) {
            return;
        }
        OvnDef ovn = ovns.getFirst();
        if (!ovn.getUnknownAttributes().isEmpty()) {
            QName first = ovn.getUnknownAttributes().keySet().iterator().next();
            throw parse("unknown attribute '%s' in <vnetd:ovn> of network '%s' (known: northbound, switch, gatewayChassis, uplink, uplinkAddress, uplinkGateway)",
                    qualified(first), network);
        }
        if (!ovn.getUnknownChildren().isEmpty()) {
            throw parse("<vnetd:ovn> of network '%s' has child elements; it takes attributes only", network);
        }
        if (ovn.getNorthbound() == null) {
            throw parse("missing attribute 'northbound' in <vnetd:ovn> of network '%s'", network);
        }
        northbound(network, ovn.getNorthbound());
        name(network, "switch", ovn.getLogicalSwitch());
        name(network, "gatewayChassis", ovn.getGatewayChassis());
        name(network, "uplink", ovn.getUplink());
        uplinkAddress(network, ovn.getUplinkAddress());
        if (ovn.getUplinkGateway() != null && !isIpv4(ovn.getUplinkGateway())) {
            throw invalid("invalid uplinkGateway '%s' in <vnetd:ovn> of network '%s': not an IPv4 address", ovn.getUplinkGateway(), network);
        }
    }

    /** ADDRESS/PREFIX, IPv4: the router's address on the uplink keeps its prefix, as OVN's router port networks do. */
    private static void uplinkAddress(String network, String value) {
        if (value == null) {
            return;
        }
        int slash = value.indexOf('/');
        String prefix = slash < 0 ? "" : value.substring(slash + 1);
        if (slash < 0 || !isIpv4(value.substring(0, slash)) || prefix.isEmpty() || prefix.length() > 2
                || !prefix.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(prefix) > 32 || Integer.parseInt(prefix) < 1) {
            throw invalid("invalid uplinkAddress '%s' in <vnetd:ovn> of network '%s': expected an IPv4 ADDRESS/PREFIX, e.g. 192.0.2.50/24",
                    value, network);
        }
    }

    private static boolean isIpv4(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') && IpAddresses.isValid(value);
    }

    private static String qualified(QName q) {
        return q.getNamespaceURI().isEmpty() ? q.getLocalPart() : "{" + q.getNamespaceURI() + "}" + q.getLocalPart();
    }

    /** OVSDB active remotes as ovn-nbctl's {@code --db} takes them; several (a clustered database) are comma-separated. */
    private static void northbound(String network, String value) {
        if (value.isEmpty()) {
            throw invalid("empty northbound address in <vnetd:ovn> of network '%s'", network);
        }
        for (String remote : value.split(",", -1)) {
            String problem = remoteProblem(remote);
            if (problem != null) {
                throw invalid("invalid northbound address '%s' in <vnetd:ovn> of network '%s': %s", remote, network, problem);
            }
        }
    }

    /** Why {@code remote} is not a usable active OVSDB remote, or null when it is. */
    private static String remoteProblem(String remote) {
        if (remote.startsWith("unix:")) {
            String path = remote.substring(5);
            if (!path.startsWith("/")) {
                return "a unix socket path must be absolute";
            }
            if (!path.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                return "the unix socket path has blanks or control characters";
            }
            return null;
        }
        if (remote.startsWith("tcp:")) {
            return hostPortProblem(remote.substring(4));
        }
        if (remote.startsWith("ssl:")) {
            return "ssl: is not supported yet (vnetd has no settings for OVSDB certificates); use tcp: or unix:";
        }
        if (remote.startsWith("ptcp:") || remote.startsWith("pssl:") || remote.startsWith("punix:")) {
            return "a passive (listening) remote; vnetd connects to the database, use tcp: or unix:";
        }
        return "expected tcp:HOST:PORT or unix:PATH";
    }

    private static String hostPortProblem(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return "no port (the northbound database listens on 6641 by default; write it out)";
        }
        String host = hostPort.substring(0, colon);
        String port = hostPort.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "port '" + port + "' is not a number from 1 to 65535";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            String v6 = host.substring(1, host.length() - 1);
            return v6.indexOf(':') >= 0 && IpAddresses.isValid(v6) ? null : "'" + host + "' is not an IPv6 address";
        }
        if (host.indexOf(':') >= 0) {
            return "an IPv6 address must be in brackets, as tcp:[ADDRESS]:PORT";
        }
        if (!host.isEmpty() && host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            return IpAddresses.isValid(host) ? null : "'" + host + "' is not an IPv4 address";
        }
        return isHostName(host) ? null : "'" + host + "' is neither an IP address nor a host name";
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> XmlValues.isAsciiAlnum((char) c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static void name(String network, String attribute, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > NAME_MAX || !value.chars().allMatch(
                c -> XmlValues.isAsciiAlnum((char) c) || c == '-' || c == '_' || c == '.' || c == ':')) {
            throw invalid("invalid %s '%s' in <vnetd:ovn> of network '%s': 1 to %d of letters, digits and - _ . :",
                    attribute, value, network, NAME_MAX);
        }
    }
}
