package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** {@code <metadata>}: application elements kept verbatim as DOM elements (each in its own namespace). */
@XmlAccessorType(XmlAccessType.FIELD)
public class MetadataDef {
    @XmlAnyElement
    private List<Element> elements;

    /** Live, mutable list (never null). */
    public List<Element> getElements() {
        if (elements == null) {
            elements = new ArrayList<>();
        }
        return elements;
    }
}
