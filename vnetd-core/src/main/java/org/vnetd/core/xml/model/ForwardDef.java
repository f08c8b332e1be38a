package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/** The {@code <forward>} element. After parsing, {@code dev} is mirrored as the first interface, as libvirt stores it. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class ForwardDef {
    @XmlAttribute(name = "dev")
    private String dev;
    @XmlAttribute(name = "mode")
    private String mode;
    @XmlAttribute(name = "managed")
    private String managed;
    @XmlElement(name = "driver")
    private ForwardDriverDef driver;
    @XmlElement(name = "nat")
    private List<NatDef> nats;
    @XmlElement(name = "pf")
    private List<ForwardPfDef> pfs;
    @XmlElement(name = "interface")
    private List<ForwardInterfaceDef> interfaces;
    @XmlElement(name = "address")
    private List<PciAddressDef> addresses;

    public String getDev() {
        return dev;
    }

    public void setDev(String dev) {
        this.dev = dev;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getManaged() {
        return managed;
    }

    public void setManaged(String managed) {
        this.managed = managed;
    }

    public ForwardDriverDef getDriver() {
        return driver;
    }

    public void setDriver(ForwardDriverDef driver) {
        this.driver = driver;
    }

    /** Live, mutable list (never null). */
    public List<NatDef> getNats() {
        if (nats == null) {
            nats = new ArrayList<>();
        }
        return nats;
    }

    /** Live, mutable list (never null). */
    public List<ForwardPfDef> getPfs() {
        if (pfs == null) {
            pfs = new ArrayList<>();
        }
        return pfs;
    }

    /** Live, mutable list (never null). */
    public List<ForwardInterfaceDef> getInterfaces() {
        if (interfaces == null) {
            interfaces = new ArrayList<>();
        }
        return interfaces;
    }

    /** Live, mutable list (never null). */
    public List<PciAddressDef> getAddresses() {
        if (addresses == null) {
            addresses = new ArrayList<>();
        }
        return addresses;
    }

}
