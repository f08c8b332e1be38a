package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;

/** A {@code <portgroup>}. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class PortGroupDef {
    @XmlAttribute(name = "name")
    private String name;
    @XmlAttribute(name = "default")
    private String isDefault;
    @XmlAttribute(name = "trustGuestRxFilters")
    private String trustGuestRxFilters;
    @XmlElement(name = "vlan")
    private VlanDef vlan;
    @XmlElement(name = "virtualport")
    private VirtualPortDef virtualPort;
    @XmlElement(name = "bandwidth")
    private BandwidthDef bandwidth;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getIsDefault() {
        return isDefault;
    }

    public void setIsDefault(String isDefault) {
        this.isDefault = isDefault;
    }

    public String getTrustGuestRxFilters() {
        return trustGuestRxFilters;
    }

    public void setTrustGuestRxFilters(String trustGuestRxFilters) {
        this.trustGuestRxFilters = trustGuestRxFilters;
    }

    public VlanDef getVlan() {
        return vlan;
    }

    public void setVlan(VlanDef vlan) {
        this.vlan = vlan;
    }

    public VirtualPortDef getVirtualPort() {
        return virtualPort;
    }

    public void setVirtualPort(VirtualPortDef virtualPort) {
        this.virtualPort = virtualPort;
    }

    public BandwidthDef getBandwidth() {
        return bandwidth;
    }

    public void setBandwidth(BandwidthDef bandwidth) {
        this.bandwidth = bandwidth;
    }

}
