package org.vnetd.core.xml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML text into a DOM safely: bounded size, no DTD at all (so no external entities,
 * no entity expansion bombs), no XInclude, no network or file access.
 *
 * <p>An instance keeps its parsers for the next parses, so a long-lived owner (the network driver, the port
 * manager) makes one and hands it to what parses for it; it is safe to share between threads. A one-off read
 * may make its own: the first parse of an instance pays for setting up its factory and a parser.
 */
public final class SafeXml {
    /** Largest accepted document, in UTF-8 bytes. libvirt network XML is a few KiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** As many idle parsers as parses overlap in practice. */
    private static final int IDLE_PARSERS = 4;

    /**
     * Configured once and never changed again: a factory per parse (and its secure-processing set-up) was a
     * third of a net-define's parse. Its builders share its security managers, and making one re-reads the
     * system properties into them, so builders are made one at a time (the parses themselves only read them).
     */
    private final DocumentBuilderFactory factory = factory();

    /**
     * Builders whose parse ended, for the next parses: making a builder builds a whole parser configuration,
     * about half of a small document's parse (JFR of a net-define loop), while a parse resets the one it reuses
     * anyway. Each builder serves one parse at a time (they are not thread-safe); the queue keeps at most a
     * few, and when it is empty or full a builder is made or dropped. Their configuration is the factory's and
     * never changes: the entity resolver and error handler are set once, and both are stateless.
     */
    private final BlockingQueue<DocumentBuilder> idleBuilders = new ArrayBlockingQueue<>(IDLE_PARSERS);

    private DocumentBuilder newBuilder() throws ParserConfigurationException {
        DocumentBuilder builder;
        synchronized (factory) {
            builder = factory.newDocumentBuilder();
        }
        builder.setEntityResolver((publicId, systemId) -> {
            throw new SAXException("external entity '" + systemId + "' refused");
        });
        builder.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // warnings do not make the document unusable
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return builder;
    }

    public Document parse(String xml, String what) {
        return parse(xml, what, null);
    }

    /**
     * As {@link #parse(String, String)}; a document that is not well formed is reported as libvirt reports it
     * when libvirt would call it {@code libvirtName} (e.g. "(network_definition)") and the error is one
     * {@link LibxmlDiagnosis} knows.
     */
    public Document parse(String xml, String what, String libvirtName) {
        if (xml == null) {
            throw new VnetException(ErrorCode.XML_PARSE, what + ": no XML given");
        }
        // Cheap char-count check first so a huge string is refused before it is encoded.
        if (xml.length() > MAX_BYTES || xml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new VnetException(ErrorCode.XML_UNSAFE,
                    what + ": document is larger than the limit of " + MAX_BYTES + " bytes");
        }
        if (containsDoctype(xml)) {
            throw new VnetException(ErrorCode.XML_UNSAFE,
                    what + ": DOCTYPE declarations (DTDs, entities) are not allowed");
        }
        try {
            DocumentBuilder builder = idleBuilders.poll();
            if (builder == null) {
                builder = newBuilder();
            }
            Document doc = builder.parse(new InputSource(new StringReader(xml)));
            // only a builder whose parse ended normally goes back: one that threw is simply dropped
            idleBuilders.offer(builder);
            return doc;
        } catch (SAXParseException e) {
            String msg = e.getMessage();
            if (msg != null && msg.contains("DOCTYPE")) {
                throw new VnetException(ErrorCode.XML_UNSAFE,
                        what + ": DOCTYPE declarations (DTDs, entities) are not allowed", e);
            }
            String worded = libvirtName == null ? null : LibxmlDiagnosis.describe(xml, libvirtName).orElse(null);
            throw new VnetException(ErrorCode.XML_PARSE, worded != null ? worded : String.format("%s: line %d column %d: %s",
                    what, e.getLineNumber(), e.getColumnNumber(), msg), e);
        } catch (SAXException e) {
            throw new VnetException(ErrorCode.XML_UNSAFE, what + ": " + e.getMessage(), e);
        } catch (IOException | ParserConfigurationException e) {
            throw new VnetException(ErrorCode.XML_PARSE, what + ": " + e.getMessage(), e);
        }
    }

    /** A DOCTYPE can only appear in the prolog, before the root element. */
    private static boolean containsDoctype(String xml) {
        int root = firstRootStart(xml);
        String prolog = root < 0 ? xml : xml.substring(0, root);
        return prolog.contains("<!DOCTYPE") || prolog.contains("<!doctype");
    }

    private static int firstRootStart(String xml) {
        int i = 0;
        while ((i = xml.indexOf('<', i)) >= 0) {
            if (i + 1 < xml.length()) {
                char c = xml.charAt(i + 1);
                if (c != '?' && c != '!') {
                    return i;
                }
            }
            i++;
        }
        return -1;
    }

    private static DocumentBuilderFactory factory() {
        try {
            return configured(DocumentBuilderFactory.newDefaultInstance());
        } catch (ParserConfigurationException e) {
            // the features set are ones every JAXP implementation the JDK ships knows
            throw new IllegalStateException("the JDK's XML parser refuses the safe configuration", e);
        }
    }

    private static DocumentBuilderFactory configured(DocumentBuilderFactory f) throws ParserConfigurationException {
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }
}
