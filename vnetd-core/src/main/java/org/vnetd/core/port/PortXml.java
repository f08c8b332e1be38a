package org.vnetd.core.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Parses and formats libvirt's network port XML (virNetworkPortDefParseXML / FormatBuf): the same
 * required elements, the same element order and two-space indentation, so {@code virsh
 * net-port-dumpxml} users see what they know.
 */
public final class PortXml {
    private static final String WHAT = "network port XML";

    private PortXml() {
    }

    // ------------------------------------------------------------------ format

    public static String format(PortDef d) {
        Buf b = new Buf();
        b.line(0, "<networkport>");
        b.line(1, "<uuid>" + d.uuid() + "</uuid>");
        b.line(1, "<owner>");
        b.line(2, "<name>" + esc(d.ownerName()) + "</name>");
        b.line(2, "<uuid>" + d.ownerUuid() + "</uuid>");
        b.line(1, "</owner>");
        d.group().ifPresent(g -> b.line(1, "<group>" + esc(g) + "</group>"));
        b.line(1, "<mac address='" + d.mac() + "'/>");
        d.virtualPort().ifPresent(v -> formatVirtualPort(b, v));
        d.bandwidth().ifPresent(bw -> formatBandwidth(b, bw));
        d.vlan().filter(v -> !v.tags().isEmpty()).ifPresent(v -> formatVlan(b, v));
        d.isolated().ifPresent(i -> b.line(1, "<port isolated='" + yesNo(i) + "'/>"));
        d.trustGuestRxFilters().ifPresent(t -> b.line(1, "<rxfilters trustGuest='" + yesNo(t) + "'/>"));
        switch (d.plug()) {
            case Plug.None n -> {
            }
            case Plug.Network n -> b.line(1, "<plug type='network'" + attr("bridge", n.bridge())
                    + n.macTableManager().map(m -> attr("macTableManager", m)).orElse("") + "/>");
            case Plug.Bridge n -> b.line(1, "<plug type='bridge'" + attr("bridge", n.bridge())
                    + n.macTableManager().map(m -> attr("macTableManager", m)).orElse("") + "/>");
            case Plug.Direct n -> b.line(1, "<plug type='direct'" + attr("dev", n.dev()) + attr("mode", n.mode()) + "/>");
            case Plug.HostdevPci h -> {
                b.line(1, "<plug type='hostdev-pci'" + h.managed().map(m -> attr("managed", yesNo(m))).orElse("") + ">");
                h.driver().ifPresent(drv -> b.line(2, "<driver name='" + esc(drv) + "'/>"));
                b.line(2, "<address" + attr("domain", h.domain()) + attr("bus", h.bus()) + attr("slot", h.slot())
                        + attr("function", h.function()) + "/>");
                b.line(1, "</plug>");
            }
        }
        b.line(0, "</networkport>");
        return b.toString();
    }

    private static void formatVirtualPort(Buf b, VirtualPort v) {
        String open = "<virtualport" + v.type().map(t -> attr("type", t)).orElse("");
        if (v.parameters().isEmpty()) {
            b.line(1, open + "/>");
            return;
        }
        b.line(1, open + ">");
        StringBuilder p = new StringBuilder("<parameters");
        for (Map.Entry<String, String> e : v.parameters()) {
            p.append(attr(e.getKey(), e.getValue()));
        }
        b.line(2, p.append("/>").toString());
        b.line(1, "</virtualport>");
    }

    private static void formatBandwidth(Buf b, Bandwidth bw) {
        String open = "<bandwidth" + (bw.classId().isPresent() ? attr("classID", Long.toString(bw.classId().getAsLong())) : "");
        if (bw.inbound().isEmpty() && bw.outbound().isEmpty()) {
            b.line(1, open + "/>");
            return;
        }
        b.line(1, open + ">");
        bw.inbound().ifPresent(r -> b.line(2, rate("inbound", r)));
        bw.outbound().ifPresent(r -> b.line(2, rate("outbound", r)));
        b.line(1, "</bandwidth>");
    }

    private static String rate(String el, Bandwidth.Rate r) {
        StringBuilder s = new StringBuilder("<").append(el);
        num(s, "average", r.average());
        num(s, "peak", r.peak());
        num(s, "floor", r.floor());
        num(s, "burst", r.burst());
        return s.append("/>").toString();
    }

    private static void num(StringBuilder s, String name, OptionalLong v) {
        if (v.isPresent()) {
            s.append(attr(name, Long.toString(v.getAsLong())));
        }
    }

    private static void formatVlan(Buf b, Vlan v) {
        b.line(1, "<vlan" + v.trunk().filter(t -> t).map(t -> " trunk='yes'").orElse("") + ">");
        for (Vlan.Tag t : v.tags()) {
            b.line(2, "<tag id='" + t.id() + "'" + t.nativeMode().map(m -> attr("nativeMode", m)).orElse("") + "/>");
        }
        b.line(1, "</vlan>");
    }

    // ------------------------------------------------------------------ parse

    /** Parses port XML once, with a parser of its own; what parses often passes its own to {@link #parse(String, SafeXml)}. */
    public static PortDef parse(String xml) {
        return parse(xml, new SafeXml());
    }

    public static PortDef parse(String xml, SafeXml parser) {
        Element root = parser.parse(xml, WHAT, "(networkport_definition)").getDocumentElement();
        if (!"networkport".equals(root.getNodeName())) {
            throw new VnetException(ErrorCode.XML_PARSE, "unknown root element for network port: <" + root.getNodeName() + ">");
        }
        UUID uuid = uuid(required(text(child(root, "uuid")), "network port has no uuid"));
        Element owner = child(root, "owner");
        String ownerName = required(owner == null ? null : text(child(owner, "name")), "network port has no owner name");
        UUID ownerUuid = uuid(required(owner == null ? null : text(child(owner, "uuid")), "network port has no owner UUID"));
        Optional<String> group = Optional.ofNullable(text(child(root, "group")));
        Element macEl = child(root, "mac");
        String macText = required(macEl == null ? null : attrOf(macEl, "address"), "network port has no mac");
        MacAddress mac;
        try {
            mac = MacAddress.parse(macText);
        } catch (RuntimeException e) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "Unable to parse MAC '" + macText + "'");
        }
        Element portEl = child(root, "port");
        Element rx = child(root, "rxfilters");
        return new PortDef(uuid, ownerName, ownerUuid, group, mac,
                Optional.ofNullable(child(root, "virtualport")).map(PortXml::virtualPort),
                Optional.ofNullable(child(root, "bandwidth")).map(PortXml::bandwidth),
                Optional.ofNullable(child(root, "vlan")).map(PortXml::vlan),
                tristate(portEl, "isolated", "port"), tristate(rx, "trustGuest", "rxfilters"),
                plug(child(root, "plug")));
    }

    private static VirtualPort virtualPort(Element e) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        Element p = child(e, "parameters");
        if (p != null) {
            NamedNodeMap attrs = p.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                params.add(Map.entry(attrs.item(i).getNodeName(), attrs.item(i).getNodeValue()));
            }
        }
        return new VirtualPort(Optional.ofNullable(attrOf(e, "type")), params);
    }

    private static Bandwidth bandwidth(Element e) {
        String cls = attrOf(e, "classID");
        return new Bandwidth(cls == null ? OptionalLong.empty() : OptionalLong.of(number(cls, "bandwidth classID")),
                Optional.ofNullable(child(e, "inbound")).map(r -> rate(r, true)),
                Optional.ofNullable(child(e, "outbound")).map(r -> rate(r, false)));
    }

    private static Bandwidth.Rate rate(Element e, boolean inbound) {
        String where = "bandwidth " + e.getNodeName();
        if (!inbound && attrOf(e, "floor") != null) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "floor attribute is supported only for inbound bandwidth");
        }
        Bandwidth.Rate r = new Bandwidth.Rate(optNum(e, "average", where), optNum(e, "peak", where), optNum(e, "floor", where),
                optNum(e, "burst", where));
        if (r.average().isEmpty() && r.floor().isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "Missing mandatory average or floor attributes in " + where);
        }
        return r;
    }

    private static Vlan vlan(Element e) {
        List<Vlan.Tag> tags = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element t && t.getNodeName().equals("tag")) {
                String id = required(attrOf(t, "id"), "missing or invalid vlan tag id");
                long v = number(id, "vlan tag id");
                if (v > 4095) {
                    throw new VnetException(ErrorCode.XML_VALIDATION, "vlan tag id " + v + " too large (maximum 4095)");
                }
                String mode = attrOf(t, "nativeMode");
                if (mode != null && !mode.equals("tagged") && !mode.equals("untagged")) {
                    throw new VnetException(ErrorCode.XML_VALIDATION, "Invalid \"nativeMode='" + mode + "'\" in vlan <tag> element");
                }
                tags.add(new Vlan.Tag((int) v, Optional.ofNullable(mode)));
            }
        }
        if (tags.isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "missing tag id - each <vlan> must have at least one <tag id='N'/> subelement");
        }
        return new Vlan(tristate(e, "trunk", "vlan"), tags);
    }

    private static Plug plug(Element e) {
        if (e == null) {
            return new Plug.None();
        }
        String type = attrOf(e, "type");
        if (type == null) {
            return new Plug.None();
        }
        return switch (type) {
            case "none" -> new Plug.None();
            case "network", "bridge" -> {
                String br = attrOf(e, "bridge");
                if (br == null) {
                    throw new VnetException(ErrorCode.XML_PARSE, "Missing network port bridge name");
                }
                String mgr = attrOf(e, "macTableManager");
                if (mgr != null && !mgr.equals("kernel") && !mgr.equals("libvirt")) {
                    throw new VnetException(ErrorCode.XML_PARSE, "Invalid macTableManager setting '" + mgr + "' in network port");
                }
                yield type.equals("network") ? new Plug.Network(br, Optional.ofNullable(mgr)) : new Plug.Bridge(br, Optional.ofNullable(mgr));
            }
            case "direct" -> {
                String dev = attrOf(e, "dev");
                if (dev == null) {
                    throw new VnetException(ErrorCode.XML_PARSE, "Missing network port link device name");
                }
                String mode = attrOf(e, "mode");
                if (mode == null) {
                    mode = "vepa";
                }
                if (!List.of("vepa", "private", "bridge", "passthrough").contains(mode)) {
                    throw new VnetException(ErrorCode.XML_PARSE, "Invalid mode setting '" + mode + "' in network port");
                }
                yield new Plug.Direct(dev, mode);
            }
            case "hostdev-pci" -> {
                Element drv = child(e, "driver");
                Element addr = child(e, "address");
                if (addr == null) {
                    throw new VnetException(ErrorCode.XML_PARSE, "Missing network port PCI address");
                }
                yield new Plug.HostdevPci(tristate(e, "managed", "plug"), Optional.ofNullable(drv == null ? null : attrOf(drv, "name")),
                        attrOf(addr, "domain"), attrOf(addr, "bus"), attrOf(addr, "slot"), attrOf(addr, "function"));
            }
            default -> throw new VnetException(ErrorCode.XML_PARSE, "Invalid value for attribute 'type' in element 'plug': '" + type + "'.");
        };
    }

    // ------------------------------------------------------------------ helpers

    private static Optional<Boolean> tristate(Element e, String name, String element) {
        if (e == null) {
            return Optional.empty();
        }
        String v = attrOf(e, name);
        if (v == null) {
            return Optional.empty();
        }
        return switch (v) {
            case "yes" -> Optional.of(true);
            case "no" -> Optional.of(false);
            default -> throw new VnetException(ErrorCode.XML_PARSE,
                    "Invalid value for attribute '" + name + "' in element '" + element + "': '" + v + "'. Expected 'yes' or 'no'");
        };
    }

    private static OptionalLong optNum(Element e, String name, String where) {
        String v = attrOf(e, name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(number(v, where + " " + name));
    }

    private static long number(String v, String where) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "could not convert " + where + " '" + v + "' to a number");
        }
    }

    private static UUID uuid(String s) {
        try {
            if (s.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "Unable to parse UUID '" + s + "'");
        }
    }

    private static String required(String v, String message) {
        if (v == null || v.isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION, message);
        }
        return v;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNodeName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    private static String attrOf(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String attr(String name, String value) {
        return " " + name + "='" + esc(value) + "'";
    }

    /** virBufferEscapeString's escaping. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final class Buf {
        private final StringBuilder sb = new StringBuilder(512);

        void line(int level, String s) {
            sb.repeat("  ", level).append(s).append('\n');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
