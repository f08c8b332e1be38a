package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** The {@code <dns>} element. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DnsDef {
    @XmlAttribute(name = "enable")
    private String enable;
    @XmlAttribute(name = "forwardPlainNames")
    private String forwardPlainNames;
    @XmlElement(name = "forwarder")
    private List<DnsForwarderDef> forwarders;
    @XmlElement(name = "txt")
    private List<DnsTxtDef> txts;
    @XmlElement(name = "srv")
    private List<DnsSrvDef> srvs;
    @XmlElement(name = "host")
    private List<DnsHostDef> hosts;

    public String getEnable() {
        return enable;
    }

    public void setEnable(String enable) {
        this.enable = enable;
    }

    public String getForwardPlainNames() {
        return forwardPlainNames;
    }

    public void setForwardPlainNames(String forwardPlainNames) {
        this.forwardPlainNames = forwardPlainNames;
    }

    /** Live, mutable list (never null). */
    public List<DnsForwarderDef> getForwarders() {
        if (forwarders == null) {
            forwarders = new ArrayList<>();
        }
        return forwarders;
    }

    /** Live, mutable list (never null). */
    public List<DnsTxtDef> getTxts() {
        if (txts == null) {
            txts = new ArrayList<>();
        }
        return txts;
    }

    /** Live, mutable list (never null). */
    public List<DnsSrvDef> getSrvs() {
        if (srvs == null) {
            srvs = new ArrayList<>();
        }
        return srvs;
    }

    /** Live, mutable list (never null). */
    public List<DnsHostDef> getHosts() {
        if (hosts == null) {
            hosts = new ArrayList<>();
        }
        return hosts;
    }

}
