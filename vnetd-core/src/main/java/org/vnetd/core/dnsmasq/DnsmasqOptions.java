package org.vnetd.core.dnsmasq;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.dns.DnsName;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpAddresses;

/**
 * libvirt's {@code <dnsmasq:options>}: lines libvirt appends to the network's dnsmasq configuration. vnetd has
 * no dnsmasq; it applies the options its own DHCP and DNS servers can do as dnsmasq does them, the ones libvirt
 * users write (each documented in dnsmasq(8)), and refuses every other, naming it:
 * <ul>
 * <li>{@code dhcp-option=[option:]NAME|CODE[,VALUE…]} for the options of {@link #DHCP_OPTIONS} (router, dns-server,
 *     domain-name, mtu, ntp-server, netbios-ns, domain-search): sent instead of vnetd's own value; without a value the
 *     option is not sent at all (libvirt's users write {@code dhcp-option=3} for a network whose guests must not route
 *     through the host); {@code 0.0.0.0} in an address list is the server's own address. Tags, vendor classes,
 *     encapsulation and DHCPv6 options are refused.</li>
 * <li>{@code address=/DOMAIN/…/[ADDRESS]}: the domains and every name below them answer A (or AAAA) with the address,
 *     TTL as vnetd's local names; other types are forwarded; without an address, NXDOMAIN; {@code #} matches any name.</li>
 * <li>{@code server=/DOMAIN/…/ADDRESS[#PORT]}, {@code server=/DOMAIN/} and {@code local=/DOMAIN/}: as libvirt's
 *     {@code <forwarder domain addr port>} (whose dnsmasq lines they are). A {@code server=} without a domain is
 *     refused: dnsmasq would ask it besides the host's resolvers, which vnetd's forwarders replace.</li>
 * <li>{@code domain-needed}: plain names are not forwarded, as {@code <dns forwardPlainNames='no'>}.</li>
 * <li>{@code dhcp-authoritative}: what vnetd's DHCP server is anyway (libvirt writes it for every IPv4 DHCP network).</li>
 * </ul>
 */
public final class DnsmasqOptions {
    /** The DHCP options {@code dhcp-option} may set, by name as dnsmasq names them, with their encoding. */
    static final Map<String, DhcpOptionType> DHCP_OPTIONS = Map.of(
            "router", new DhcpOptionType(3, Encoding.ADDRESSES),
            "dns-server", new DhcpOptionType(6, Encoding.ADDRESSES),
            "domain-name", new DhcpOptionType(15, Encoding.TEXT),
            "mtu", new DhcpOptionType(26, Encoding.UINT16),
            "ntp-server", new DhcpOptionType(42, Encoding.ADDRESSES),
            "netbios-ns", new DhcpOptionType(44, Encoding.ADDRESSES),
            "domain-search", new DhcpOptionType(119, Encoding.DOMAINS));

    enum Encoding { ADDRESSES, TEXT, UINT16, DOMAINS }

    record DhcpOptionType(int code, Encoding encoding) {
    }

    /** One option vnetd does not apply, as libvirt's XML has it, and why. */
    public record Refused(String value, String why) {
    }

    /**
     * What the options ask of vnetd's servers.
     *
     * @param dhcpOptions   replacements of the DHCP server's options, in order ({@link DhcpConfig.OptionOverride})
     * @param forwarders    DNS forwarders, after those of {@code <dns>}
     * @param addressRules  {@code address=} rules, in order
     * @param domainNeeded  plain names are never forwarded
     */
    public record Applied(List<DhcpConfig.OptionOverride> dhcpOptions, List<DnsConfig.Forwarder> forwarders,
            List<DnsConfig.AddressRule> addressRules, boolean domainNeeded) {
        public static final Applied NONE = new Applied(List.of(), List.of(), List.of(), false);
    }

    private DnsmasqOptions() {
    }

    /** The options vnetd does not apply, with the reason for each; empty when it applies them all. */
    public static List<Refused> refused(List<String> values) {
        List<Refused> out = new ArrayList<>();
        for (String v : values) {
            try {
                parse(v, Inet4AddressHolder.ANY, new Builder());
            } catch (Unsupported e) {
                out.add(new Refused(v, e.getMessage()));
            }
        }
        return out;
    }

    /**
     * What {@code values} ask for; {@code dhcpServer} stands for {@code 0.0.0.0} in {@code dhcp-option} address lists
     * (null: the network has no DHCP server). Options {@link #refused} names are left out (a definition using one is
     * refused before anything applies it).
     */
    public static Applied apply(List<String> values, Inet4Address dhcpServer) {
        Builder b = new Builder();
        for (String v : values) {
            try {
                parse(v, dhcpServer == null ? Inet4AddressHolder.ANY : dhcpServer, b);
            } catch (Unsupported e) {
                // refused at define and start: never reaches a running network
            }
        }
        return new Applied(List.copyOf(b.dhcp), List.copyOf(b.forwarders), List.copyOf(b.addresses), b.domainNeeded);
    }

    private static final class Builder {
        final List<DhcpConfig.OptionOverride> dhcp = new ArrayList<>();
        final List<DnsConfig.Forwarder> forwarders = new ArrayList<>();
        final List<DnsConfig.AddressRule> addresses = new ArrayList<>();
        boolean domainNeeded;
    }

    /** The unspecified address, for checking options without a network. */
    private static final class Inet4AddressHolder {
        static final Inet4Address ANY = (Inet4Address) IpAddresses.parse("0.0.0.0");
    }

    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private static void parse(String value, Inet4Address server, Builder b) {
        String line = value.strip();
        int eq = line.indexOf('=');
        String name = (eq < 0 ? line : line.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
        String arg = eq < 0 ? null : line.substring(eq + 1).strip();
        switch (name) {
            case "dhcp-authoritative" -> noArgument(name, arg);
            case "domain-needed" -> {
                noArgument(name, arg);
                b.domainNeeded = true;
            }
            case "dhcp-option" -> b.dhcp.add(dhcpOption(required(name, arg), server));
            case "address" -> b.addresses.add(address(required(name, arg)));
            case "server", "local" -> b.forwarders.addAll(server(name, required(name, arg)));
            default -> throw new Unsupported("vnetd serves DHCP and DNS itself and has no equivalent of dnsmasq's '" + name
                    + "'; it applies only dhcp-option, address, server, local, domain-needed and dhcp-authoritative");
        }
    }

    private static void noArgument(String name, String arg) {
        if (arg != null) {
            throw new Unsupported("dnsmasq's " + name + " takes no value");
        }
    }

    private static String required(String name, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new Unsupported("dnsmasq's " + name + " needs a value");
        }
        return arg;
    }

    /** {@code [option:]NAME|CODE[,VALUE…]}; anything before the option (tags, vendor, encap) is refused. */
    private static DhcpConfig.OptionOverride dhcpOption(String arg, Inet4Address server) {
        String[] parts = arg.split(",", -1);
        String opt = parts[0].strip().toLowerCase(Locale.ROOT);
        if (opt.startsWith("option6:")) {
            throw new Unsupported("vnetd applies no DHCPv6 option from dnsmasq:options");
        }
        if (opt.contains(":") && !opt.startsWith("option:")) {
            throw new Unsupported("vnetd applies dhcp-option to every client of the network: tags, vendor classes and "
                    + "encapsulated options ('" + parts[0].strip() + "') are not applied");
        }
        DhcpOptionType type = opt.startsWith("option:") ? DHCP_OPTIONS.get(opt.substring("option:".length())) : byCode(opt);
        if (type == null) {
            throw new Unsupported("vnetd applies dhcp-option only to " + String.join(", ", DHCP_OPTIONS.keySet().stream().sorted()
                    .map(n -> n + " (" + DHCP_OPTIONS.get(n).code() + ")").toList()) + "; not to '" + parts[0].strip() + "'");
        }
        List<String> values = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            values.add(parts[i].strip());
        }
        if (values.isEmpty() || values.size() == 1 && values.getFirst().isEmpty()) {
            return new DhcpConfig.OptionOverride(type.code(), Optional.empty()); // dnsmasq then sends no such option
        }
        return new DhcpConfig.OptionOverride(type.code(), Optional.of(encode(type, values, server)));
    }

    private static DhcpOptionType byCode(String opt) {
        int code;
        try {
            code = Integer.parseInt(opt);
        } catch (NumberFormatException e) {
            throw new Unsupported("dhcp-option names its option by number or as option:NAME, not '" + opt + "'");
        }
        return DHCP_OPTIONS.values().stream().filter(t -> t.code() == code).findFirst().orElse(null);
    }

    private static byte[] encode(DhcpOptionType type, List<String> values, Inet4Address server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (type.encoding()) {
            case ADDRESSES -> {
                for (String v : values) {
                    InetAddress a = ipv4(v, "dhcp-option " + type.code());
                    out.writeBytes((a.isAnyLocalAddress() ? server : a).getAddress());
                }
            }
            case TEXT -> out.writeBytes(String.join(",", values).replace("\"", "").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            case UINT16 -> {
                if (values.size() != 1) {
                    throw new Unsupported("dhcp-option " + type.code() + " takes one number");
                }
                int n;
                try {
                    n = Integer.parseInt(values.getFirst());
                } catch (NumberFormatException e) {
                    throw new Unsupported("dhcp-option " + type.code() + " takes a number, not '" + values.getFirst() + "'");
                }
                if (n < 0 || n > 0xFFFF) {
                    throw new Unsupported("dhcp-option " + type.code() + " takes a number from 0 to 65535, not " + n);
                }
                out.write(n >>> 8);
                out.write(n & 0xFF);
            }
            case DOMAINS -> {
                for (String v : values) {
                    out.writeBytes(domain(v, "dhcp-option " + type.code()).toWire());
                }
            }
        }
        return out.toByteArray();
    }

    /** {@code /DOMAIN/…/[ADDRESS]}: dnsmasq's domain list, then one address or none. */
    private static DnsConfig.AddressRule address(String arg) {
        DomainsAndRest d = domains("address", arg);
        if (d.domains().isEmpty() && !d.matchesAll()) {
            throw new Unsupported("address= needs /DOMAIN/ before its address");
        }
        List<InetAddress> addresses = d.rest().isEmpty() ? List.of() : List.of(ip(d.rest(), "address"));
        return new DnsConfig.AddressRule(d.domains(), d.matchesAll(), addresses);
    }

    private static List<DnsConfig.Forwarder> server(String name, String arg) {
        DomainsAndRest d = domains(name, arg);
        if (d.matchesAll()) {
            throw new Unsupported(name + "=/#/ is not applied (vnetd's forwarders for every other name are <dns><forwarder>)");
        }
        if (name.equals("local") && !d.rest().isEmpty()) {
            throw new Unsupported("local= takes only /DOMAIN/");
        }
        if (d.rest().isEmpty()) {
            if (d.domains().isEmpty()) {
                throw new Unsupported(name + "= needs /DOMAIN/ or an address");
            }
            // dnsmasq answers such a domain only from its own names (libvirt's <forwarder domain> without addr)
            return d.domains().stream().map(dom -> new DnsConfig.Forwarder(Optional.empty(), DnsConfig.DNS_PORT, Optional.of(dom))).toList();
        }
        String rest = d.rest();
        if (rest.contains("@") || rest.equals("#")) {
            throw new Unsupported(name + "= with a source address, an interface or '#' is not applied: '" + rest + "'");
        }
        OptionalInt port = OptionalInt.empty();
        int hash = rest.lastIndexOf('#');
        if (hash >= 0) {
            try {
                port = OptionalInt.of(Integer.parseInt(rest.substring(hash + 1)));
            } catch (NumberFormatException e) {
                throw new Unsupported(name + "= has a bad port in '" + rest + "'");
            }
            rest = rest.substring(0, hash);
        }
        InetAddress addr = ip(rest, name);
        int p = port.orElse(DnsConfig.DNS_PORT);
        try {
            if (d.domains().isEmpty()) {
                // dnsmasq would ask it besides the host's resolvers (libvirt writes no no-resolv for it), vnetd instead of them
                throw new Unsupported("server= without /DOMAIN/ is not applied: write <dns><forwarder addr='" + rest
                        + "'/> (which, as in libvirt, replaces the host's resolvers)");
            }
            return d.domains().stream().map(dom -> new DnsConfig.Forwarder(Optional.of(addr), p, Optional.of(dom))).toList();
        } catch (VnetException e) {
            throw new Unsupported(e.getMessage());
        }
    }

    private record DomainsAndRest(List<DnsName> domains, boolean matchesAll, String rest) {
    }

    /** Splits dnsmasq's {@code /a/b/REST} into its domains and what follows the last slash. */
    private static DomainsAndRest domains(String name, String arg) {
        if (!arg.startsWith("/")) {
            return new DomainsAndRest(List.of(), false, arg);
        }
        int last = arg.lastIndexOf('/');
        if (last == 0) {
            throw new Unsupported(name + "= has an unterminated /DOMAIN/ in '" + arg + "'");
        }
        List<DnsName> domains = new ArrayList<>();
        boolean all = false;
        for (String dom : arg.substring(1, last).split("/", -1)) {
            if (dom.equals("#")) {
                all = true;
            } else if (dom.isEmpty() || dom.contains("*")) {
                throw new Unsupported(name + "= with an empty or wildcard domain is not applied: '" + arg + "'");
            } else {
                domains.add(domain(dom, name));
            }
        }
        return new DomainsAndRest(domains, all, arg.substring(last + 1).strip());
    }

    private static DnsName domain(String v, String where) {
        try {
            return DnsName.of(v);
        } catch (VnetException e) {
            throw new Unsupported(where + ": '" + v + "' is not a domain name");
        }
    }

    private static InetAddress ip(String v, String where) {
        try {
            return IpAddresses.parse(v);
        } catch (VnetException | IllegalArgumentException e) {
            throw new Unsupported(where + ": '" + v + "' is not an IP address");
        }
    }

    private static InetAddress ipv4(String v, String where) {
        InetAddress a = ip(v, where);
        if (!(a instanceof Inet4Address)) {
            throw new Unsupported(where + ": '" + v + "' is not an IPv4 address");
        }
        return a;
    }
}
