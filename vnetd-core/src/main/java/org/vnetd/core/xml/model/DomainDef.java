package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** The {@code <domain>} element: DNS domain of the network. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class DomainDef {
    @XmlAttribute(name = "name")
    private String name;
    @XmlAttribute(name = "localOnly")
    private String localOnly;
    @XmlAttribute(name = "register")
    private String register;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getLocalOnly() {
        return localOnly;
    }

    public void setLocalOnly(String localOnly) {
        this.localOnly = localOnly;
    }

    public String getRegister() {
        return register;
    }

    public void setRegister(String register) {
        this.register = register;
    }

}
