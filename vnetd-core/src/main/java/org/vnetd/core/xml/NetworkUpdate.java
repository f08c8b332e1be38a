package org.vnetd.core.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.DnsDef;
import org.vnetd.core.xml.model.DnsHostDef;
import org.vnetd.core.xml.model.DnsSrvDef;
import org.vnetd.core.xml.model.DnsTxtDef;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * libvirt's virNetworkDefUpdateSection: the core of {@code net-update}. Applies one command to one
 * section of a definition, in place. Every check runs before anything is changed, so a refused
 * update leaves {@code def} exactly as it was.
 */
public final class NetworkUpdate {
    /** The commands of {@code virsh net-update}. */
    public enum Command {
        ADD_FIRST, ADD_LAST, DELETE, MODIFY;

        /** "add-first", "add-last" (also "add"), "delete", "modify". */
        public static Command of(String text) {
            return switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
                case "add-first" -> ADD_FIRST;
                case "add-last", "add" -> ADD_LAST;
                case "delete" -> DELETE;
                case "modify" -> MODIFY;
                default -> throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                        "unknown net-update command '%s' (expected add-first, add-last, delete or modify)", text);
            };
        }

        boolean isAdd() {
            return this == ADD_FIRST || this == ADD_LAST;
        }
    }

    /** Sections libvirt knows; only some of them can be updated (as in libvirt). */
    static final List<String> SECTIONS = List.of("bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range",
            "forward", "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv");

    private static final JAXBContext FRAGMENTS = createContext();

    private NetworkUpdate() {
    }

    /**
     * Applies {@code command} ("add-first", "add-last", "delete", "modify") to {@code section}
     * ("ip-dhcp-host", "ip-dhcp-range", "dns-host", "dns-txt", "dns-srv", "forward-interface",
     * "portgroup") with the given XML element. {@code parentIndex} picks the {@code <ip>} for the
     * ip-dhcp-* sections (-1: the one with DHCP, else the first IPv4, else the first IPv6).
     */
    public static void apply(NetworkDef def, String command, String section, int parentIndex, String xmlFragment) {
        apply(def, command, section, parentIndex, xmlFragment, new SafeXml());
    }

    /** As {@link #apply(NetworkDef, String, String, int, String)}, parsing the fragment with {@code parser}. */
    public static void apply(NetworkDef def, String command, String section, int parentIndex, String xmlFragment,
            SafeXml parser) {
        Command cmd = Command.of(command);
        Document doc = parser.parse(xmlFragment, "net-update XML", "network_update_xml");
        Element el = doc.getDocumentElement();
        String name = def.getName();
        switch (section == null ? "" : section) {
            case "ip-dhcp-host" -> dhcpHost(def, cmd, parentIndex, fragment(def, el, "host", DhcpHostDef.class));
            case "ip-dhcp-range" -> dhcpRange(def, cmd, parentIndex, fragment(def, el, "range", DhcpRangeDef.class));
            case "forward-interface" -> forwardInterface(def, cmd, fragment(def, el, "interface", ForwardInterfaceDef.class));
            case "portgroup" -> portGroup(def, cmd, fragment(def, el, "portgroup", PortGroupDef.class));
            case "dns-host" -> dnsHost(def, cmd, fragment(def, el, "host", DnsHostDef.class));
            case "dns-txt" -> dnsTxt(def, cmd, fragment(def, el, "txt", DnsTxtDef.class));
            case "dns-srv" -> dnsSrv(def, cmd, fragment(def, el, "srv", DnsSrvDef.class));
            default -> {
                if (SECTIONS.contains(section)) {
                    throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "can't update '%s' section of network '%s'",
                            section.replace('-', ' '), name);
                }
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "unknown net-update section '%s' (expected one of %s)",
                        section, String.join(", ", SECTIONS));
            }
        }
    }

    private static <T> T fragment(NetworkDef def, Element el, String expected, Class<T> type) {
        String got = el.getLocalName() == null ? el.getTagName() : el.getLocalName();
        if (!expected.equals(got) || el.getNamespaceURI() != null) {
            throw VnetException.of(ErrorCode.XML_PARSE, "unexpected element <%s>, expecting <%s>, while updating network '%s'",
                    el.getTagName(), expected, def.getName());
        }
        try {
            return FRAGMENTS.createUnmarshaller().unmarshal(el, type).getValue();
        } catch (JAXBException e) {
            throw new VnetException(ErrorCode.XML_PARSE, "net-update XML: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- ip-dhcp-*

    /** virNetworkIPDefByIndex. */
    private static IpDef ipByIndex(NetworkDef def, int parentIndex) {
        List<IpDef> ips = def.getIps();
        if (parentIndex >= 0) {
            if (parentIndex >= ips.size()) {
                throw invalid("couldn't update dhcp host entry - no <ip> element found at index %d in network '%s'",
                        parentIndex, def.getName());
            }
            return ips.get(parentIndex);
        }
        for (IpDef ip : ips) {
            if (ip.hasDhcp()) {
                return ip;
            }
        }
        for (IpDef ip : ips) {
            if (ip.isIpv4()) {
                return ip;
            }
        }
        for (IpDef ip : ips) {
            if (!ip.isIpv4()) {
                return ip;
            }
        }
        throw invalid("couldn't update dhcp host entry - no <ip> element found in network '%s'", def.getName());
    }

    /** Only one address per family may carry DHCP. */
    private static void checkMultiDhcp(NetworkDef def, IpDef target) {
        for (IpDef ip : def.getIps()) {
            if (ip != target && ip.isIpv4() == target.isIpv4() && ip.hasDhcp()) {
                throw invalid("dhcp is supported only for a single %s address on each network",
                        target.isIpv4() ? "IPv4" : "IPv6");
            }
        }
    }

    private static void dhcpHost(NetworkDef def, Command cmd, int parentIndex, DhcpHostDef host) {
        IpDef ip = ipByIndex(def, parentIndex);
        boolean partial = cmd == Command.DELETE;
        IpChecks.dhcpHost(def.getName(), ip, host, partial);
        InetAddress hostIp = Addr.tryParse(host.getIp());
        if (!partial && Addr.isV4(hostIp) != ip.isIpv4()) {
            throw invalid("the address family of a host entry IP must match the address family of the dhcp element's parent");
        }
        List<DhcpHostDef> hosts = ip.hosts();
        switch (cmd) {
            case MODIFY -> {
                int i = indexOf(hosts, h -> sameMac(host.getMac(), h.getMac())
                        || hostIp != null && hostIp.equals(Addr.tryParse(h.getIp()))
                        || host.getName() != null && host.getName().equals(h.getName()));
                if (i < 0) {
                    throw invalid("couldn't locate an existing dhcp host entry with \"mac='%s'\" \"name='%s'\" \"ip='%s'\" in network '%s'",
                            host.getMac() == null ? "unknown" : host.getMac(), host.getName(),
                            host.getIp() == null ? "unknown" : host.getIp(), def.getName());
                }
                hosts.set(i, host);
            }
            case ADD_FIRST, ADD_LAST -> {
                checkMultiDhcp(def, ip);
                int i = indexOf(hosts, h -> sameMac(host.getMac(), h.getMac())
                        || host.getName() != null && host.getName().equals(h.getName())
                        || hostIp != null && hostIp.equals(Addr.tryParse(h.getIp())));
                if (i >= 0) {
                    throw conflict("there is an existing dhcp host entry in network '%s' that matches \"<host mac='%s' name='%s' ip='%s'/>\"",
                            def.getName(), host.getMac() == null ? "unknown" : host.getMac(), host.getName(),
                            host.getIp() == null ? "unknown" : host.getIp());
                }
                ip.dhcpOrCreate().getHosts().add(cmd == Command.ADD_FIRST ? 0 : hosts.size(), host);
            }
            case DELETE -> {
                int i = indexOf(hosts, h -> (host.getMac() == null || h.getMac() == null || sameMac(host.getMac(), h.getMac()))
                        && (host.getName() == null || host.getName().equals(h.getName()))
                        && (hostIp == null || hostIp.equals(Addr.tryParse(h.getIp()))));
                if (i < 0) {
                    throw invalid("couldn't locate a matching dhcp host entry in network '%s'", def.getName());
                }
                hosts.remove(i);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static boolean sameMac(String a, String b) {
        return a != null && b != null && MacAddress.parse(a).equals(MacAddress.parse(b));
    }

    private static void dhcpRange(NetworkDef def, Command cmd, int parentIndex, DhcpRangeDef range) {
        IpDef ip = ipByIndex(def, parentIndex);
        if (cmd == Command.MODIFY) {
            throw unsupported("dhcp ranges cannot be modified, only added or deleted");
        }
        IpChecks.range(def.getName(), ip, range);
        InetAddress start = Addr.tryParse(range.getStart());
        InetAddress end = Addr.tryParse(range.getEnd());
        if (Addr.isV4(start) != ip.isIpv4()) {
            throw invalid("the address family of a dhcp range must match the address family of the dhcp element's parent");
        }
        List<DhcpRangeDef> ranges = ip.ranges();
        int i = indexOf(ranges, r -> start.equals(Addr.tryParse(r.getStart())) && end.equals(Addr.tryParse(r.getEnd())));
        if (cmd.isAdd()) {
            checkMultiDhcp(def, ip);
            if (i >= 0) {
                throw conflict("there is an existing dhcp range entry in network '%s' that matches \"<range start='%s' end='%s'/>\"",
                        def.getName(), range.getStart(), range.getEnd());
            }
            ip.dhcpOrCreate().getRanges().add(cmd == Command.ADD_FIRST ? 0 : ranges.size(), range);
        } else {
            if (i < 0) {
                throw invalid("couldn't locate a matching dhcp range entry in network '%s'", def.getName());
            }
            ranges.remove(i);
        }
    }

    // ---------------------------------------------------------------- forward-interface

    private static void forwardInterface(NetworkDef def, Command cmd, ForwardInterfaceDef iface) {
        if (cmd == Command.MODIFY) {
            throw unsupported("forward interface entries cannot be modified, only added or deleted");
        }
        if (iface.getDev() == null) {
            throw VnetException.of(ErrorCode.XML_PARSE, "missing dev attribute in <interface> element");
        }
        iface.setConnections(null);
        ForwardDef fwd = def.getForward();
        List<ForwardInterfaceDef> ifs = fwd == null ? List.of() : fwd.getInterfaces();
        int i = indexOf(ifs, f -> iface.getDev().equals(f.getDev()));
        if (cmd.isAdd()) {
            if (i >= 0) {
                throw conflict("there is an existing interface entry in network '%s' that matches \"<interface dev='%s'>\"",
                        def.getName(), iface.getDev());
            }
            if (fwd == null) {
                // libvirt keeps a forward definition even for isolated networks; vnetd models
                // "no <forward>" as isolated, so an interface pool cannot be added there.
                throw invalid("network '%s' has no <forward> element to add <interface dev='%s'> to",
                        def.getName(), iface.getDev());
            }
            ifs.add(cmd == Command.ADD_FIRST ? 0 : ifs.size(), iface);
        } else {
            if (i < 0) {
                throw invalid("couldn't find an interface entry in network '%s' matching <interface dev='%s'>",
                        def.getName(), iface.getDev());
            }
            String connections = ifs.get(i).getConnections();
            if (connections != null && !connections.equals("0")) {
                throw invalid("unable to delete interface '%s' in network '%s'. It is currently being used by %s domains.",
                        iface.getDev(), def.getName(), connections);
            }
            ifs.remove(i);
        }
        fwd.setDev(ifs.isEmpty() ? null : ifs.get(0).getDev());
    }

    // ---------------------------------------------------------------- portgroup

    private static void portGroup(NetworkDef def, Command cmd, PortGroupDef pg) {
        PortProfileChecks.portGroup(pg);
        List<PortGroupDef> groups = def.getPortGroups();
        int foundName = indexOf(groups, g -> pg.getName().equals(g.getName()));
        int foundDefault = indexOf(groups, g -> "yes".equals(g.getIsDefault()));
        if (foundName < 0 && (cmd == Command.MODIFY || cmd == Command.DELETE)) {
            throw invalid("couldn't find a portgroup entry in network '%s' matching <portgroup name='%s'>",
                    def.getName(), pg.getName());
        }
        if (foundName >= 0 && cmd.isAdd()) {
            throw conflict("there is an existing portgroup entry in network '%s' that matches \"<portgroup name='%s'>\"",
                    def.getName(), pg.getName());
        }
        if (cmd != Command.DELETE && "yes".equals(pg.getIsDefault()) && foundDefault >= 0 && foundDefault != foundName) {
            throw conflict("a different portgroup entry in network '%s' is already set as the default. Only one default is allowed.",
                    def.getName());
        }
        switch (cmd) {
            case MODIFY -> groups.set(foundName, pg);
            case ADD_FIRST -> groups.add(0, pg);
            case ADD_LAST -> groups.add(pg);
            case DELETE -> groups.remove(foundName);
            default -> throw new IllegalStateException();
        }
    }

    // ---------------------------------------------------------------- dns-*

    private static void dnsHost(NetworkDef def, Command cmd, DnsHostDef host) {
        DnsChecks.dnsHost(def.getName(), host, !cmd.isAdd() && cmd != Command.MODIFY);
        DnsDef dns = def.getDns();
        List<DnsHostDef> hosts = dns == null ? List.of() : dns.getHosts();
        InetAddress ip = Addr.tryParse(host.getIp());
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            DnsHostDef h = hosts.get(i);
            boolean match = ip != null && ip.equals(Addr.tryParse(h.getIp()));
            // adding checks addresses only: several addresses may share a name legitimately;
            // modify identifies the record by its address
            if (cmd == Command.DELETE && !match) {
                match = h.getHostnames().stream().anyMatch(host.getHostnames()::contains);
            }
            if (match) {
                found.add(i);
            }
        }
        switch (cmd) {
            case ADD_FIRST, ADD_LAST -> {
                if (!found.isEmpty()) {
                    throw conflict("there is already at least one DNS HOST record with a matching field in network %s",
                            def.getName());
                }
                def.dnsOrCreate().getHosts().add(cmd == Command.ADD_FIRST ? 0 : hosts.size(), host);
            }
            case DELETE, MODIFY -> {
                if (found.isEmpty()) {
                    throw invalid("couldn't locate a matching DNS HOST record in network %s", def.getName());
                }
                if (found.size() > 1) {
                    throw invalid("multiple matching DNS HOST records were found in network %s", def.getName());
                }
                if (cmd == Command.DELETE) {
                    hosts.remove((int) found.get(0));
                } else {
                    hosts.set(found.get(0), host);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void dnsTxt(NetworkDef def, Command cmd, DnsTxtDef txt) {
        DnsChecks.txt(def.getName(), txt, cmd == Command.DELETE);
        DnsDef dns = def.getDns();
        List<DnsTxtDef> txts = dns == null ? List.of() : dns.getTxts();
        int i = indexOf(txts, t -> txt.getName().equals(t.getName()));
        switch (cmd) {
            case ADD_FIRST, ADD_LAST -> {
                if (i >= 0) {
                    throw conflict("there is already a DNS TXT record with name '%s' in network %s", txt.getName(), def.getName());
                }
                def.dnsOrCreate().getTxts().add(cmd == Command.ADD_FIRST ? 0 : txts.size(), txt);
            }
            case DELETE, MODIFY -> {
                if (i < 0) {
                    throw invalid("couldn't locate a matching DNS TXT record in network %s", def.getName());
                }
                if (cmd == Command.DELETE) {
                    txts.remove(i);
                } else {
                    txts.set(i, txt);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void dnsSrv(NetworkDef def, Command cmd, DnsSrvDef srv) {
        DnsChecks.srv(def.getName(), srv, !cmd.isAdd());
        DnsDef dns = def.getDns();
        List<DnsSrvDef> srvs = dns == null ? List.of() : dns.getSrvs();
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < srvs.size(); i++) {
            DnsSrvDef s = srvs.get(i);
            if (matches(srv.getDomain(), s.getDomain()) && matches(srv.getService(), s.getService())
                    && matches(srv.getProtocol(), s.getProtocol()) && matches(srv.getTarget(), s.getTarget())) {
                found.add(i);
            }
        }
        switch (cmd) {
            case ADD_FIRST, ADD_LAST -> {
                if (!found.isEmpty()) {
                    throw conflict("there is already at least one DNS SRV record matching all specified fields in network %s",
                            def.getName());
                }
                def.dnsOrCreate().getSrvs().add(cmd == Command.ADD_FIRST ? 0 : srvs.size(), srv);
            }
            case DELETE, MODIFY -> {
                if (found.isEmpty()) {
                    throw invalid("couldn't locate a matching DNS SRV record in network %s", def.getName());
                }
                if (found.size() > 1) {
                    throw invalid("multiple DNS SRV records matching all specified fields were found in network %s",
                            def.getName());
                }
                if (cmd == Command.DELETE) {
                    srvs.remove((int) found.get(0));
                } else {
                    if (srv.getService() == null || srv.getProtocol() == null) {
                        throw invalid("a DNS SRV record used to modify network %s needs service and protocol", def.getName());
                    }
                    srvs.set(found.get(0), srv);
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** An attribute left out of the update matches anything. */
    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    // ---------------------------------------------------------------- helpers

    private static <T> int indexOf(List<T> list, java.util.function.Predicate<T> p) {
        for (int i = 0; i < list.size(); i++) {
            if (p.test(list.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static VnetException invalid(String fmt, Object... args) {
        return VnetException.of(ErrorCode.INVALID_ARGUMENT, fmt, args);
    }

    private static VnetException conflict(String fmt, Object... args) {
        return VnetException.of(ErrorCode.CONFLICT, fmt, args);
    }

    private static VnetException unsupported(String msg) {
        return new VnetException(ErrorCode.OPERATION_UNSUPPORTED, msg);
    }

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(DhcpHostDef.class, DhcpRangeDef.class, ForwardInterfaceDef.class,
                    PortGroupDef.class, DnsHostDef.class, DnsTxtDef.class, DnsSrvDef.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
