package org.vnetd.cli.output;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
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
            Document out = newBuilder().newDocument();
            Element root = out.createElement("nodes");
            out.appendChild(root);
            for (int i = 0; i < nodes.getLength(); i++) {
                Node copy = out.importNode(nodes.item(i), true);
                if (copy instanceof Attr a) {
                    root.setAttributeNode(a);
                } else {
                    root.appendChild(copy);
                }
            }
            write(root, 0, true, sb);
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
            dropBlanks(doc.getDocumentElement());
            return doc;
        } catch (SAXException | IOException e) {
            throw new VnetException(ErrorCode.XML_PARSE, "XML error: " + e.getMessage(), e);
        }
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
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            write(attrs.item(i), level, false, sb);
        }
        if (!e.hasChildNodes()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        boolean format = mayFormat;
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            short t = c.getNodeType();
            if (t == Node.TEXT_NODE || t == Node.CDATA_SECTION_NODE || t == Node.ENTITY_REFERENCE_NODE) {
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
