package org.vnetd.core.xml;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.UserDataHandler;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A DOM does not keep attribute order, but {@code <metadata>} is application XML that libvirt
 * writes back with its attributes as they were. This records the document order of attributes
 * below the first {@code <metadata>} (one extra SAX pass, only when there is metadata) and attaches
 * it to the DOM elements, where it survives {@code cloneNode}.
 */
final class AttributeOrder {
    static final String KEY = "org.vnetd.attributeOrder";

    /** Carries the recorded order over to clones and imports of the element. */
    private static final UserDataHandler KEEP_ON_COPY = new UserDataHandler() {
        @Override
        public void handle(short operation, String key, Object data, Node src, Node dst) {
            if (dst != null && (operation == NODE_CLONED || operation == NODE_IMPORTED)) {
                dst.setUserData(key, data, this);
            }
        }
    };

    private AttributeOrder() {
    }

    /** Records attribute order for the elements below {@code metadata} (the first one in xml). */
    static void record(String xml, Element metadata) {
        List<List<String>> orders = new ArrayList<>();
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.newSAXParser().parse(new InputSource(new StringReader(xml)), new DefaultHandler() {
                private int depth;
                private int metadataDepth = -1;
                private boolean done;

                @Override
                public void startElement(String uri, String local, String qName, Attributes attrs) {
                    depth++;
                    if (metadataDepth > 0) {
                        List<String> names = new ArrayList<>(attrs.getLength());
                        for (int i = 0; i < attrs.getLength(); i++) {
                            names.add(attrs.getQName(i));
                        }
                        orders.add(names);
                    } else if (!done && depth == 2 && "metadata".equals(local) && uri.isEmpty()) {
                        metadataDepth = depth;
                    }
                }

                @Override
                public void endElement(String uri, String local, String qName) {
                    if (depth == metadataDepth) {
                        metadataDepth = -1;
                        done = true;
                    }
                    depth--;
                }
            });
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return; // the DOM parse of the same text succeeded; without order we still write valid XML
        }
        List<Element> elements = new ArrayList<>();
        collect(metadata, elements);
        if (elements.size() != orders.size()) {
            return;
        }
        for (int i = 0; i < elements.size(); i++) {
            elements.get(i).setUserData(KEY, List.copyOf(orders.get(i)), KEEP_ON_COPY);
        }
    }

    /** Sorts attributes into their recorded document order (unrecorded ones keep their place last). */
    static void sort(Element e, List<Attr> attrs) {
        if (e.getUserData(KEY) instanceof List<?> order) {
            attrs.sort(Comparator.comparingInt(a -> {
                int i = order.indexOf(a.getName());
                return i < 0 ? Integer.MAX_VALUE : i;
            }));
        }
    }

    private static void collect(Element parent, List<Element> out) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                out.add(ce);
                collect(ce, out);
            }
        }
    }
}
