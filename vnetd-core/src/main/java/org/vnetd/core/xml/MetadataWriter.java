package org.vnetd.core.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Serialises {@code <metadata>} the way libvirt does (libxml2's xmlNodeDump with formatting at the
 * element's depth): double-quoted attributes, namespace declarations first, children indented two
 * spaces per level unless an element has text content. Application XML is kept as written.
 */
final class MetadataWriter {
    private MetadataWriter() {
    }

    /**
     * libvirt keeps one element per namespace below {@code <metadata>} and drops elements without a
     * namespace (virXMLNodeSanitizeNamespaces); this applies the same rule.
     */
    static List<Element> sanitize(List<Element> elements) {
        List<Element> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Element e : elements) {
            String ns = e.getNamespaceURI();
            if (ns != null && !ns.isEmpty() && seen.add(ns)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The whole {@code <metadata>} element; the first line carries no indent (the caller's). */
    static String write(List<Element> elements, int level) {
        if (elements.isEmpty()) {
            return "<metadata/>";
        }
        StringBuilder sb = new StringBuilder("<metadata>\n");
        for (Element e : elements) {
            sb.repeat(' ', 2 * (level + 1));
            element(sb, e, level + 1, new HashMap<>());
            sb.append('\n');
        }
        sb.repeat(' ', 2 * level).append("</metadata>");
        return sb.toString();
    }

    private static void element(StringBuilder sb, Element e, int level, Map<String, String> inScope) {
        Map<String, String> scope = new HashMap<>(inScope);
        sb.append('<').append(e.getTagName());
        NamedNodeMap attrs = e.getAttributes();
        List<Attr> plain = new ArrayList<>();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                String prefix = "xmlns".equals(a.getName()) ? "" : a.getLocalName();
                scope.put(prefix, a.getValue());
                sb.append(' ').append(a.getName()).append("=\"").append(escapeAttr(a.getValue())).append('"');
            } else {
                plain.add(a);
            }
        }
        AttributeOrder.sort(e, plain);
        // A prefix declared on an ancestor outside <metadata> must be declared here to stay valid.
        declareIfMissing(sb, scope, e.getPrefix(), e.getNamespaceURI());
        for (Attr a : plain) {
            declareIfMissing(sb, scope, a.getPrefix(), a.getNamespaceURI());
        }
        for (Attr a : plain) {
            sb.append(' ').append(a.getName()).append("=\"").append(escapeAttr(a.getValue())).append('"');
        }
        Node child = e.getFirstChild();
        if (child == null) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        boolean format = true;
        for (Node c = child; c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE && !c.getNodeValue().isBlank()
                    || c.getNodeType() == Node.CDATA_SECTION_NODE) {
                format = false;
                break;
            }
        }
        for (Node c = child; c != null; c = c.getNextSibling()) {
            switch (c.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    if (format) {
                        sb.append('\n').repeat(' ', 2 * (level + 1));
                    }
                    element(sb, (Element) c, level + 1, scope);
                }
                case Node.TEXT_NODE -> {
                    if (!format) {
                        sb.append(escapeText(c.getNodeValue()));
                    }
                }
                case Node.CDATA_SECTION_NODE -> sb.append("<![CDATA[").append(c.getNodeValue()).append("]]>");
                case Node.COMMENT_NODE -> {
                    if (format) {
                        sb.append('\n').repeat(' ', 2 * (level + 1));
                    }
                    sb.append("<!--").append(c.getNodeValue()).append("-->");
                }
                default -> {
                    // processing instructions and the like are not kept
                }
            }
        }
        if (format) {
            sb.append('\n').repeat(' ', 2 * level);
        }
        sb.append("</").append(e.getTagName()).append('>');
    }

    private static void declareIfMissing(StringBuilder sb, Map<String, String> scope, String prefix, String ns) {
        if (ns == null || ns.isEmpty() || XMLConstants.XML_NS_URI.equals(ns)) {
            return;
        }
        String p = prefix == null ? "" : prefix;
        if (!ns.equals(scope.get(p))) {
            scope.put(p, ns);
            sb.append(' ').append(p.isEmpty() ? "xmlns" : "xmlns:" + p).append("=\"").append(escapeAttr(ns)).append('"');
        }
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;");
    }

    private static String escapeAttr(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }
}
