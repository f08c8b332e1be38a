package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The {@code <bridge>} element: Linux bridge name, STP, zone, MAC table manager. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class BridgeDef {
    @XmlAttribute(name = "name")
    private String name;
    @XmlAttribute(name = "zone")
    private String zone;
    @XmlAttribute(name = "stp")
    private String stp;
    @XmlAttribute(name = "delay")
    private String delay;
    @XmlAttribute(name = "macTableManager")
    private String macTableManager;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public String getStp() {
        return stp;
    }

    public void setStp(String stp) {
        this.stp = stp;
    }

    public String getDelay() {
        return delay;
    }

    public void setDelay(String delay) {
        this.delay = delay;
    }

    public String getMacTableManager() {
        return macTableManager;
    }

    public void setMacTableManager(String macTableManager) {
        this.macTableManager = macTableManager;
    }

}
