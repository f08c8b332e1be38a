package org.vnetd.cli.output;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * net-dumpxml's {@code --xpath}/{@code --wrap} (virsh-util.c virshDumpXML) with the JDK's XPath: the document
 * is parsed without blank text nodes, each selected node is written the way libxml2's formatted node dump
 * writes it (two-space indent, {@code <x/>} for empty elements, attributes as {@code  name="value"}), one
 * per line; {@code --wrap} puts copies of them under one {@code <nodes>} element.
 */
public final class XmlDump {
    private static final String ATTR_ORDER = "vnetctl.attributeOrder";
    private XmlDump() {
    }

    public static String select(String xml, String xpath, boolean wrap) {
        Document doc = parse(xml);
        NodeList nodes;
        try {
            nodes = (NodeList) XPathFactory.newInstance().newXPath()
                    .evaluate(xpath, doc.getDocumentElement(), XPathConstants.NODESET);
        } catch (XPathExpressionException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "internal error: Incorrect xpath '" + xpath + "'", e);
        }
        StringBuilder sb = new StringBuilder();
        if (wrap) {
            writeWrapped(nodes, sb);
            sb.append('\n');
        } else {
            for (int i = 0; i < nodes.getLength(); i++) {
                write(nodes.item(i), 0, true, sb);
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Parses untrusted XML without DTDs or external entities, dropping blank text between elements. */
    public static Document parse(String xml) {
        try {
            Document doc = newBuilder().parse(new InputSource(new StringReader(xml)));
            recordAttributeOrder(doc, xml);
            dropBlanks(doc.getDocumentElement());
            return doc;
        } catch (SAXException | IOException e) {
            throw new VnetException(ErrorCode.XML_PARSE, "XML error: " + e.getMessage(), e);
        }
    }

    /**
     * The DOM keeps attributes sorted by name, but libxml2 (and so virsh) prints them in document order;
     * a StAX pass over the same text records that order on each element.
     */
    private static void recordAttributeOrder(Document doc, String xml) {
        NodeList elements = doc.getElementsByTagName("*");
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            XMLStreamReader r = f.createXMLStreamReader(new StringReader(xml));
            int index = 0;
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && index < elements.getLength()) {
                    List<String> order = new ArrayList<>();
                    for (int i = 0; i < r.getNamespaceCount(); i++) {
                        String prefix = r.getNamespacePrefix(i);
                        order.add(prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix);
                    }
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        String prefix = r.getAttributePrefix(i);
                        String local = r.getAttributeLocalName(i);
                        order.add(prefix == null || prefix.isEmpty() ? local : prefix + ":" + local);
                    }
                    elements.item(index++).setUserData(ATTR_ORDER, order, null);
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            // the DOM parse accepted it; without the order the attributes come out sorted, still correct XML
        }
    }

    private static List<Attr> attributes(Element e) {
        NamedNodeMap map = e.getAttributes();
        List<Attr> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<String> order = (List<String>) e.getUserData(ATTR_ORDER);
        if (order != null) {
            for (String name : order) {
                Node a = map.getNamedItem(name);
                if (a != null) {
                    out.add((Attr) a);
                }
            }
        }
        for (int i = 0; i < map.getLength(); i++) {
            if (!out.contains(map.item(i))) {
                out.add((Attr) map.item(i));
            }
        }
        return out;
    }

    /** virsh's --wrap: the selected nodes as children (attributes as attributes) of one {@code <nodes>}. */
    private static void writeWrapped(NodeList nodes, StringBuilder sb) {
        List<Node> children = new ArrayList<>();
        sb.append("<nodes");
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n.getNodeType() == Node.ATTRIBUTE_NODE) {
                write(n, 0, false, sb);
            } else {
                children.add(n);
            }
        }
        if (children.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        boolean format = children.stream().noneMatch(XmlDump::isText);
        if (format) {
            sb.append('\n');
        }
        for (Node c : children) {
            if (format) {
                sb.append("  ");
            }
            write(c, 1, format, sb);
            if (format) {
                sb.append('\n');
            }
        }
        sb.append("</nodes>");
    }

    private static boolean isText(Node c) {
        short t = c.getNodeType();
        return t == Node.TEXT_NODE || t == Node.CDATA_SECTION_NODE || t == Node.ENTITY_REFERENCE_NODE;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    private static void dropBlanks(Node parent) {
        boolean hasElement = false;
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            hasElement |= c.getNodeType() == Node.ELEMENT_NODE;
        }
        List<Node> blanks = new ArrayList<>();
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE && c.getNodeValue().isBlank() && hasElement) {
                blanks.add(c);
            } else if (c.getNodeType() == Node.ELEMENT_NODE) {
                dropBlanks(c);
            }
        }
        blanks.forEach(parent::removeChild);
    }

    /** libxml2's xmlNodeDumpOutput with format=1. */
    static void write(Node node, int level, boolean mayFormat, StringBuilder sb) {
        switch (node.getNodeType()) {
            case Node.ELEMENT_NODE -> writeElement((Element) node, level, mayFormat, sb);
            case Node.ATTRIBUTE_NODE -> sb.append(' ').append(node.getNodeName()).append("=\"")
                    .append(escapeAttr(node.getNodeValue())).append('"');
            case Node.TEXT_NODE -> sb.append(escapeText(node.getNodeValue()));
            case Node.CDATA_SECTION_NODE -> sb.append("<![CDATA[").append(node.getNodeValue()).append("]]>");
            case Node.COMMENT_NODE -> sb.append("<!--").append(node.getNodeValue()).append("-->");
            case Node.PROCESSING_INSTRUCTION_NODE -> sb.append("<?").append(node.getNodeName()).append(' ')
                    .append(node.getNodeValue()).append("?>");
            default -> sb.append(escapeText(node.getTextContent()));
        }
    }

    private static void writeElement(Element e, int level, boolean mayFormat, StringBuilder sb) {
        sb.append('<').append(e.getTagName());
        for (Attr a : attributes(e)) {
            write(a, level, false, sb);
        }
        if (!e.hasChildNodes()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        boolean format = mayFormat;
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (isText(c)) {
                format = false;
                break;
            }
        }
        if (format) {
            sb.append('\n');
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (format) {
                sb.append("  ".repeat(level + 1));
            }
            write(c, level + 1, format, sb);
            if (format) {
                sb.append('\n');
            }
        }
        if (format) {
            sb.append("  ".repeat(level));
        }
        sb.append("</").append(e.getTagName()).append('>');
    }

    static String escapeText(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\r' -> sb.append("&#13;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String escapeAttr(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("&#10;");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append("&#9;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
