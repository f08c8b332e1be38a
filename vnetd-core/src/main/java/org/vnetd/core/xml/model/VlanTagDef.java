package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;

/** {@code <vlan><tag id='' nativeMode=''/>}. Attributes are kept as the XML text; parsing checks and canonicalises them. */
@XmlAccessorType(XmlAccessType.FIELD)
public class VlanTagDef {
    @XmlAttribute(name = "id")
    private String id;
    @XmlAttribute(name = "nativeMode")
    private String nativeMode;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getNativeMode() {
        return nativeMode;
    }

    public void setNativeMode(String nativeMode) {
        this.nativeMode = nativeMode;
    }

}
