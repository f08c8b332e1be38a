package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The network-level {@code <port isolated=''>} element. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class PortOptionsDef {
    @XmlAttribute(name = "isolated")
    private String isolated;

    public String getIsolated() {
        return isolated;
    }

    public void setIsolated(String isolated) {
        this.isolated = isolated;
    }

}
