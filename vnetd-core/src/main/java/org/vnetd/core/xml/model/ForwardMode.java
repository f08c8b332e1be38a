package org.vnetd.core.xml.model;

import java.util.Locale;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * libvirt's forward modes. {@link #NONE} is an isolated network: no {@code <forward>} element at all;
 * a {@code <forward>} without {@code mode} means {@link #NAT}.
 */
public enum ForwardMode {
    NONE, NAT, ROUTE, OPEN, BRIDGE, PRIVATE, VEPA, PASSTHROUGH, HOSTDEV;

    /** The mode as written in {@code <forward mode=''>} ("none" for {@link #NONE}). */
    public String xmlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the modes where vnetd itself runs a bridge with addresses (libvirt's L3 modes). */
    public boolean hasBridge() {
        return this == NONE || this == NAT || this == ROUTE || this == OPEN;
    }

    public static ForwardMode fromXml(String mode) {
        for (ForwardMode m : values()) {
            if (m.xmlName().equals(mode)) {
                return m;
            }
        }
        throw new VnetException(ErrorCode.XML_PARSE, "unsupported configuration: unknown forwarding type '" + mode + "'");
    }
}
