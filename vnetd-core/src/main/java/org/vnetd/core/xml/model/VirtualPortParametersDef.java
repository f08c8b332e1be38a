package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <virtualport><parameters .../>}. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class VirtualPortParametersDef {
    @XmlAttribute(name = "managerid")
    private String managerid;
    @XmlAttribute(name = "typeid")
    private String typeid;
    @XmlAttribute(name = "typeidversion")
    private String typeidversion;
    @XmlAttribute(name = "instanceid")
    private String instanceid;
    @XmlAttribute(name = "profileid")
    private String profileid;
    @XmlAttribute(name = "interfaceid")
    private String interfaceid;

    public String getManagerid() {
        return managerid;
    }

    public void setManagerid(String managerid) {
        this.managerid = managerid;
    }

    public String getTypeid() {
        return typeid;
    }

    public void setTypeid(String typeid) {
        this.typeid = typeid;
    }

    public String getTypeidversion() {
        return typeidversion;
    }

    public void setTypeidversion(String typeidversion) {
        this.typeidversion = typeidversion;
    }

    public String getInstanceid() {
        return instanceid;
    }

    public void setInstanceid(String instanceid) {
        this.instanceid = instanceid;
    }

    public String getProfileid() {
        return profileid;
    }

    public void setProfileid(String profileid) {
        this.profileid = profileid;
    }

    public String getInterfaceid() {
        return interfaceid;
    }

    public void setInterfaceid(String interfaceid) {
        this.interfaceid = interfaceid;
    }

}
