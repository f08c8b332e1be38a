package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** The {@code <dhcp>} element of an {@code <ip>}. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DhcpDef {
    @XmlElement(name = "range")
    private List<DhcpRangeDef> ranges;
    @XmlElement(name = "host")
    private List<DhcpHostDef> hosts;
    @XmlElement(name = "bootp")
    private List<BootpDef> bootps;

    /** Live, mutable list (never null). */
    public List<DhcpRangeDef> getRanges() {
        if (ranges == null) {
            ranges = new ArrayList<>();
        }
        return ranges;
    }

    /** Live, mutable list (never null). */
    public List<DhcpHostDef> getHosts() {
        if (hosts == null) {
            hosts = new ArrayList<>();
        }
        return hosts;
    }

    /** Live, mutable list (never null). */
    public List<BootpDef> getBootps() {
        if (bootps == null) {
            bootps = new ArrayList<>();
        }
        return bootps;
    }

}
