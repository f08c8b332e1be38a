package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <forward><nat>}: NAT address/port ranges and IPv6 NAT. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class NatDef {
    @XmlAttribute(name = "ipv6")
    private String ipv6;
    @XmlElement(name = "address")
    private List<NatAddressDef> addresses;
    @XmlElement(name = "port")
    private List<NatPortDef> ports;

    public String getIpv6() {
        return ipv6;
    }

    public void setIpv6(String ipv6) {
        this.ipv6 = ipv6;
    }

    /** Live, mutable list (never null). */
    public List<NatAddressDef> getAddresses() {
        if (addresses == null) {
            addresses = new ArrayList<>();
        }
        return addresses;
    }

    /** Live, mutable list (never null). */
    public List<NatPortDef> getPorts() {
        if (ports == null) {
            ports = new ArrayList<>();
        }
        return ports;
    }

}
