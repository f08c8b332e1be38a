package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** {@code <dnsmasq:options>}: extra dnsmasq options in libvirt's dnsmasq XML namespace. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DnsmasqOptionsDef {
    /** libvirt's namespace for dnsmasq pass-through options. */
    public static final String NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

    @XmlElement(name = "option", namespace = NS)
    private List<DnsmasqOptionDef> options;

    /** Live, mutable list (never null). */
    public List<DnsmasqOptionDef> getOptions() {
        if (options == null) {
            options = new ArrayList<>();
        }
        return options;
    }
}
