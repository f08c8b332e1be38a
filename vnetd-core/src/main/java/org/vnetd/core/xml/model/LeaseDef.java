package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <lease expiry='' unit=''/>}: DHCP lease time (expiry 0 = infinite). Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class LeaseDef {
    @XmlAttribute(name = "expiry")
    private String expiry;
    @XmlAttribute(name = "unit")
    private String unit;

    public String getExpiry() {
        return expiry;
    }

    public void setExpiry(String expiry) {
        this.expiry = expiry;
    }

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }


    /** Lease time in seconds as dnsmasq would use it; 0 means infinite (libvirt's expiry='0'). */
    public long seconds() {
        long n = Long.parseLong(expiry);
        return switch (unit == null ? "minutes" : unit) {
            case "seconds" -> n;
            case "hours" -> n * 3600;
            default -> n * 60;
        };
    }
}
