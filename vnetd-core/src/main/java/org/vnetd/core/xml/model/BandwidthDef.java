package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** The {@code <bandwidth>} element. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class BandwidthDef {
    @XmlAttribute(name = "classID")
    private String classID;
    @XmlElement(name = "inbound")
    private BandwidthRateDef inbound;
    @XmlElement(name = "outbound")
    private BandwidthRateDef outbound;

    public String getClassID() {
        return classID;
    }

    public void setClassID(String classID) {
        this.classID = classID;
    }

    public BandwidthRateDef getInbound() {
        return inbound;
    }

    public void setInbound(BandwidthRateDef inbound) {
        this.inbound = inbound;
    }

    public BandwidthRateDef getOutbound() {
        return outbound;
    }

    public void setOutbound(BandwidthRateDef outbound) {
        this.outbound = outbound;
    }

}
