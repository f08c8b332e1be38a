package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** The {@code <virtualport>} element (802.1Qbg, 802.1Qbh, openvswitch, midonet). Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class VirtualPortDef {
    @XmlAttribute(name = "type")
    private String type;
    @XmlElement(name = "parameters")
    private VirtualPortParametersDef parameters;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public VirtualPortParametersDef getParameters() {
        return parameters;
    }

    public void setParameters(VirtualPortParametersDef parameters) {
        this.parameters = parameters;
    }

}
