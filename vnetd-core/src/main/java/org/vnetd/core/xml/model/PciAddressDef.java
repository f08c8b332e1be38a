package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** A {@code <forward><address type='pci' .../>} pool entry. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class PciAddressDef {
    @XmlAttribute(name = "type")
    private String type;
    @XmlAttribute(name = "domain")
    private String domain;
    @XmlAttribute(name = "bus")
    private String bus;
    @XmlAttribute(name = "slot")
    private String slot;
    @XmlAttribute(name = "function")
    private String function;
    @XmlAttribute(name = "multifunction")
    private String multifunction;
    @XmlAttribute(name = "connections")
    private String connections;

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public String getBus() {
        return bus;
    }

    public void setBus(String bus) {
        this.bus = bus;
    }

    public String getSlot() {
        return slot;
    }

    public void setSlot(String slot) {
        this.slot = slot;
    }

    public String getFunction() {
        return function;
    }

    public void setFunction(String function) {
        this.function = function;
    }

    public String getMultifunction() {
        return multifunction;
    }

    public void setMultifunction(String multifunction) {
        this.multifunction = multifunction;
    }

    public String getConnections() {
        return connections;
    }

    public void setConnections(String connections) {
        this.connections = connections;
    }

}
