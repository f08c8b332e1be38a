package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.net.InetAddress;
import org.vnetd.core.net.IpAddresses;

/** {@code <dhcp><range start='' end=''>}. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DhcpRangeDef {
    @XmlAttribute(name = "start")
    private String start;
    @XmlAttribute(name = "end")
    private String end;
    @XmlElement(name = "lease")
    private LeaseDef lease;

    public String getStart() {
        return start;
    }

    public void setStart(String start) {
        this.start = start;
    }

    public String getEnd() {
        return end;
    }

    public void setEnd(String end) {
        this.end = end;
    }

    public LeaseDef getLease() {
        return lease;
    }

    public void setLease(LeaseDef lease) {
        this.lease = lease;
    }


    // ---- typed views (valid after NetworkXml.parse) ----

    public InetAddress start() {
        return IpAddresses.parse(start);
    }

    public InetAddress end() {
        return IpAddresses.parse(end);
    }
}
