package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.net.InetAddress;
import java.util.Optional;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/** {@code <dhcp><host mac='' id='' name='' ip=''>}: a static DHCP host. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DhcpHostDef {
    @XmlAttribute(name = "mac")
    private String mac;
    @XmlAttribute(name = "id")
    private String id;
    @XmlAttribute(name = "name")
    private String name;
    @XmlAttribute(name = "ip")
    private String ip;
    @XmlElement(name = "lease")
    private LeaseDef lease;

    public String getMac() {
        return mac;
    }

    public void setMac(String mac) {
        this.mac = mac;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    public LeaseDef getLease() {
        return lease;
    }

    public void setLease(LeaseDef lease) {
        this.lease = lease;
    }


    // ---- typed views (valid after NetworkXml.parse) ----

    public Optional<InetAddress> ipAddress() {
        return ip == null ? Optional.empty() : Optional.of(IpAddresses.parse(ip));
    }

    public Optional<MacAddress> macAddress() {
        return mac == null ? Optional.empty() : Optional.of(MacAddress.parse(mac));
    }
}
