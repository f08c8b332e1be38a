package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyAttribute;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;

/**
 * {@code <vnetd:ovn northbound='' switch='' gatewayChassis='' uplink='' uplinkAddress='' uplinkGateway=''/>}: the network's binding to OVN, in
 * vnetd's own XML namespace at network level (as libvirt carries {@code <dnsmasq:options>}), so
 * libvirt would tolerate the definition. Attributes are kept as the XML text; unknown attributes and
 * children are collected only so that the checks can refuse them by name (see docs/ovn.md).
 */
@XmlAccessorType(XmlAccessType.FIELD)
public class OvnDef {
    /** vnetd's namespace for its extensions of libvirt's network XML. */
    public static final String NS = "https://vnetd.org/schemas/network/1.0";

    @XmlAttribute(name = "northbound")
    private String northbound;
    @XmlAttribute(name = "switch")
    private String logicalSwitch;
    @XmlAttribute(name = "gatewayChassis")
    private String gatewayChassis;
    @XmlAttribute(name = "uplink")
    private String uplink;
    @XmlAttribute(name = "uplinkAddress")
    private String uplinkAddress;
    @XmlAttribute(name = "uplinkGateway")
    private String uplinkGateway;
    @XmlAnyAttribute
    private Map<QName, String> unknownAttributes;
    @XmlAnyElement
    private List<Object> unknownChildren;

    /** The OVN northbound database, as OVSDB remotes: {@code tcp:HOST:PORT} or {@code unix:PATH}, comma-separated. */
    public String getNorthbound() {
        return northbound;
    }

    public void setNorthbound(String northbound) {
        this.northbound = northbound;
    }

    /** The logical switch's name, or null for the default (derived from the network's uuid). */
    public String getLogicalSwitch() {
        return logicalSwitch;
    }

    public void setLogicalSwitch(String logicalSwitch) {
        this.logicalSwitch = logicalSwitch;
    }

    /** The chassis that hosts the logical router's gateway port (NAT), or null. */
    public String getGatewayChassis() {
        return gatewayChassis;
    }

    public void setGatewayChassis(String gatewayChassis) {
        this.gatewayChassis = gatewayChassis;
    }

    /** The provider network (a name in the gateway chassis' ovn-bridge-mappings) the router's gateway port sits on, or null. */
    public String getUplink() {
        return uplink;
    }

    public void setUplink(String uplink) {
        this.uplink = uplink;
    }

    /** The router's address on the uplink as ADDRESS/PREFIX (IPv4): the source address of SNAT, or null. */
    public String getUplinkAddress() {
        return uplinkAddress;
    }

    public void setUplinkAddress(String uplinkAddress) {
        this.uplinkAddress = uplinkAddress;
    }

    /** The next hop of the router's default route, on the uplink (IPv4), or null. */
    public String getUplinkGateway() {
        return uplinkGateway;
    }

    public void setUplinkGateway(String uplinkGateway) {
        this.uplinkGateway = uplinkGateway;
    }

    /** Live, mutable map (never null) of attributes this element does not define. */
    public Map<QName, String> getUnknownAttributes() {
        if (unknownAttributes == null) {
            unknownAttributes = new LinkedHashMap<>();
        }
        return unknownAttributes;
    }

    /** Live, mutable list (never null) of child elements; the element defines none. */
    public List<Object> getUnknownChildren() {
        if (unknownChildren == null) {
            unknownChildren = new ArrayList<>();
        }
        return unknownChildren;
    }
}
