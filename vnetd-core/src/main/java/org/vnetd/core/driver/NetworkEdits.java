package org.vnetd.core.driver;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.MetadataDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Changes the driver makes to a definition copy's metadata ({@code net-update} sections are {@code NetworkUpdate}'s). */
final class NetworkEdits {
    static final String TITLE = "title";
    static final String DESCRIPTION = "description";
    static final String ELEMENT = "element";

    private NetworkEdits() {
    }

    static Optional<String> getMetadata(NetworkDef def, String type, String uri) {
        return switch (checkType(type)) {
            case TITLE -> Optional.ofNullable(def.getTitle());
            case DESCRIPTION -> Optional.ofNullable(def.getDescription());
            default -> {
                if (uri == null || uri.isEmpty()) {
                    throw new VnetException(ErrorCode.INVALID_ARGUMENT, "metadata of type 'element' needs a namespace uri");
                }
                MetadataDef m = def.getMetadata();
                if (m == null) {
                    yield Optional.empty();
                }
                for (Element e : m.getElements()) {
                    if (uri.equals(e.getNamespaceURI())) {
                        yield Optional.of(serialize(e));
                    }
                }
                yield Optional.empty();
            }
        };
    }

    /** libvirt's virNetworkDefSetMetadata: a null value removes; an element replaces the one of the same namespace. */
    static void setMetadata(NetworkDef def, String type, String value, String key, String uri) {
        switch (checkType(type)) {
            case TITLE -> {
                if (value != null && value.contains("\n")) {
                    throw new VnetException(ErrorCode.INVALID_ARGUMENT, "network title can't contain newlines");
                }
                def.setTitle(value == null || value.isEmpty() ? null : value);
            }
            case DESCRIPTION -> def.setDescription(value == null || value.isEmpty() ? null : value);
            default -> {
                if (uri == null || uri.isEmpty()) {
                    throw new VnetException(ErrorCode.INVALID_ARGUMENT, "metadata of type 'element' needs a namespace uri");
                }
                MetadataDef m = def.getMetadata();
                if (m == null) {
                    m = new MetadataDef();
                    def.setMetadata(m);
                }
                for (Iterator<Element> it = m.getElements().iterator(); it.hasNext(); ) {
                    if (uri.equals(it.next().getNamespaceURI())) {
                        it.remove();
                    }
                }
                if (value != null) {
                    if (key == null || key.isEmpty() || !key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                        throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "metadata key '%s' is not a valid XML namespace prefix", key);
                    }
                    m.getElements().add(inNamespace(parse(value), key, uri));
                }
                if (m.getElements().isEmpty()) {
                    def.setMetadata(null);
                }
            }
        }
    }

    private static String checkType(String type) {
        if (TITLE.equals(type) || DESCRIPTION.equals(type) || ELEMENT.equals(type)) {
            return type;
        }
        throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "unknown metadata type '%s' (title, description, element)", type);
    }

    private static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (Exception e) {
            throw VnetException.of(ErrorCode.XML_PARSE, "metadata is not well formed XML: %s", e.getMessage());
        }
    }

    /** Puts the element and its descendants without a namespace into {@code uri} with prefix {@code key}. */
    private static Element inNamespace(Element e, String key, String uri) {
        Document doc = e.getOwnerDocument();
        return (Element) rename(doc, e, key, uri);
    }

    private static Node rename(Document doc, Element e, String key, String uri) {
        Element renamed = e;
        if (e.getNamespaceURI() == null || e.getNamespaceURI().isEmpty() || e == doc.getDocumentElement()) {
            renamed = (Element) doc.renameNode(e, uri, key + ":" + e.getLocalName());
        }
        for (Node c = renamed.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce && (ce.getNamespaceURI() == null || ce.getNamespaceURI().isEmpty())) {
                c = rename(doc, ce, key, uri);
            }
        }
        return renamed;
    }

    private static String serialize(Element e) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (Exception ex) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot serialize metadata: " + ex.getMessage(), ex);
        }
    }
}
