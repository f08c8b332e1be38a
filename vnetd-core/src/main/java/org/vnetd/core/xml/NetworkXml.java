package org.vnetd.core.xml;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.JAXBIntrospector;
import jakarta.xml.bind.Unmarshaller;
import jakarta.xml.bind.UnmarshallerHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.random.RandomGenerator;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.MetadataDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.OvnDef;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Entry point for libvirt network XML: {@link #parse} (safe parsing plus the checks libvirt makes
 * while parsing), {@link #validate} (the network driver's networkValidate) and {@link #format}
 * (byte-for-byte virNetworkDefFormat output).
 */
public final class NetworkXml {
    /** JAXB contexts are immutable and thread-safe once built; building one is the costly part. */
    private static final JAXBContext CONTEXT = createContext();

    private NetworkXml() {
    }

    /**
     * Parses network XML once, with a parser of its own: for one-off reads; what parses often passes the
     * {@link SafeXml} it owns to {@link #parse(String, SafeXml)}.
     */
    public static NetworkDef parse(String xml) {
        return parse(xml, new SafeXml());
    }

    /**
     * Parses network XML with {@code parser}. Throws {@link VnetException} with {@link ErrorCode#XML_UNSAFE}
     * for DTDs, entities or oversize input, {@link ErrorCode#XML_PARSE} for malformed XML or a broken
     * grammar, {@link ErrorCode#XML_VALIDATION} for values libvirt's parser refuses.
     */
    public static NetworkDef parse(String xml, SafeXml parser) {
        Document doc = parser.parse(xml, "network XML", "(network_definition)");
        Element root = doc.getDocumentElement();
        String rootName = root.getLocalName() == null ? root.getTagName() : root.getLocalName();
        if (!"network".equals(rootName) || root.getNamespaceURI() != null) {
            throw VnetException.of(ErrorCode.XML_PARSE, "expecting root element of 'network', not '%s'", root.getTagName());
        }
        keepFirstOfSingletons(root);
        refuseUnknownVnetdElements(root);
        NetworkDef def = unmarshal(root);
        keepMetadataVerbatim(xml, root, def);
        NetworkChecks.check(def);
        return def;
    }

    /**
     * libvirt's network driver validation (networkValidate): forward-mode rules, device pools,
     * DHCP per family, portgroups, VLANs, plus vnetd's own name/bridge/host checks. Like libvirt, it
     * fills in a random 52:54:00 bridge MAC for bridge-based networks that have none.
     */
    public static void validate(NetworkDef def) {
        validate(def, RandomGenerator.getDefault());
    }

    /** As {@link #validate(NetworkDef)}, drawing a missing bridge MAC from {@code macRandom}. */
    public static void validate(NetworkDef def, RandomGenerator macRandom) {
        try {
            // A definition built or changed in code gets the same value checks as parsed XML
            // (they are idempotent on a parsed definition).
            NetworkChecks.check(def);
        } catch (VnetException e) {
            throw e.code() == ErrorCode.XML_VALIDATION ? e : new VnetException(ErrorCode.XML_VALIDATION, e.getMessage(), e);
        }
        NetworkValidator.validate(def, macRandom);
    }

    /**
     * Formats as libvirt does. {@code inactive} is VIR_NETWORK_XML_INACTIVE: the persistent config
     * (no live connection counts, no device pool derived from a PF).
     */
    public static String format(NetworkDef def, boolean inactive) {
        return NetworkFormatter.format(def, inactive);
    }

    /** A deep copy of {@code def}; nothing is re-checked or normalised. */
    public static NetworkDef copy(NetworkDef def) {
        try {
            // the marshaller's events go straight into the unmarshaller: no document built and scanned in between,
            // which was most of a copy's cost (and a network's start makes one)
            UnmarshallerHandler into = CONTEXT.createUnmarshaller().getUnmarshallerHandler();
            CONTEXT.createMarshaller().marshal(def, into);
            NetworkDef copy = (NetworkDef) JAXBIntrospector.getValue(into.getResult());
            if (def.getMetadata() != null) {
                MetadataDef md = new MetadataDef();
                for (Element e : def.getMetadata().getElements()) {
                    md.getElements().add((Element) e.cloneNode(true));
                }
                copy.setMetadata(md);
            }
            return copy;
        } catch (JAXBException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot copy network definition: " + e, e);
        }
    }

    static NetworkDef unmarshal(Node node) {
        try {
            Unmarshaller u = CONTEXT.createUnmarshaller();
            return u.unmarshal(node, NetworkDef.class).getValue();
        } catch (JAXBException e) {
            throw new VnetException(ErrorCode.XML_PARSE, "network XML: " + e.getMessage(), e);
        }
    }

    /** Elements libvirt reads once (XPath {@code ./x[1]}): a repeated one is ignored, not merged. */
    private static final Set<String> SINGLETONS = Set.of("name", "uuid", "title", "description", "metadata",
            "forward", "bridge", "mtu", "mac", "domain", "dns", "vlan", "bandwidth", "port", "virtualport");

    private static void keepFirstOfSingletons(Element root) {
        Set<String> seen = new HashSet<>();
        List<Node> drop = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && SINGLETONS.contains(e.getLocalName())
                    && !seen.add(e.getLocalName())) {
                drop.add(n);
            }
        }
        drop.forEach(root::removeChild);
    }

    /** JAXB skips unknown elements; in vnetd's own namespace an unknown one is a typo to report, not to drop. */
    private static void refuseUnknownVnetdElements(Element root) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && OvnDef.NS.equals(e.getNamespaceURI()) && !"ovn".equals(e.getLocalName())) {
                throw VnetException.of(ErrorCode.XML_PARSE, "unknown element '%s' in vnetd's namespace %s (known: ovn)",
                        e.getTagName(), OvnDef.NS);
            }
        }
    }

    /** JAXB would re-home namespaces; keep libvirt's copy of the first {@code <metadata>} instead. */
    private static void keepMetadataVerbatim(String xml, Element root, NetworkDef def) {
        def.setMetadata(null);
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "metadata".equals(e.getLocalName()) && e.getNamespaceURI() == null) {
                AttributeOrder.record(xml, e);
                List<Element> children = new ArrayList<>();
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element ce) {
                        children.add(ce);
                    }
                }
                MetadataDef md = new MetadataDef();
                md.getElements().addAll(MetadataWriter.sanitize(children));
                def.setMetadata(md);
                return;
            }
        }
    }

    private static JAXBContext createContext() {
        try {
            return JAXBContext.newInstance(NetworkDef.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
