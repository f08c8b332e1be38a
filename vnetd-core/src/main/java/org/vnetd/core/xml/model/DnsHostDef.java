package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <dns><host ip=''><hostname>...}: a DNS A/AAAA record set. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DnsHostDef {
    @XmlAttribute(name = "ip")
    private String ip;
    @XmlElement(name = "hostname")
    private List<String> hostnames;

    public String getIp() {
        return ip;
    }

    public void setIp(String ip) {
        this.ip = ip;
    }

    /** Live, mutable list (never null). */
    public List<String> getHostnames() {
        if (hostnames == null) {
            hostnames = new ArrayList<>();
        }
        return hostnames;
    }

}
