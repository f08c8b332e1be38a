package org.vnetd.core.pool;

import java.util.Locale;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A PCI device's address (libvirt's virPCIDeviceAddress): an SR-IOV virtual function of a hostdev pool. */
public record PciAddress(int domain, int bus, int slot, int function) {
    public PciAddress {
        if (domain < 0 || domain > 0xffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0 || function > 7) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT,
                    String.format("PCI address %x:%x:%x.%x is out of range", domain, bus, slot, function));
        }
    }

    /** From XML attributes as written ({@code 0x0006} or decimal), as libvirt's virPCIDeviceAddressParseXML takes them. */
    public static PciAddress ofAttributes(String domain, String bus, String slot, String function) {
        return new PciAddress(field(domain, "domain"), field(bus, "bus"), field(slot, "slot"), field(function, "function"));
    }

    /** From a sysfs device name, {@code 0000:03:10.2} (what a PF's {@code virtfnN} link points at). */
    public static PciAddress ofSysfs(String name) {
        String[] p = name.split("[:.]");
        if (p.length != 4) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not a PCI address (DDDD:BB:SS.F)");
        }
        try {
            return new PciAddress(Integer.parseInt(p[0], 16), Integer.parseInt(p[1], 16), Integer.parseInt(p[2], 16),
                    Integer.parseInt(p[3], 16));
        } catch (NumberFormatException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' is not a PCI address (DDDD:BB:SS.F)");
        }
    }

    private static int field(String v, String what) {
        if (v == null) {
            throw new VnetException(ErrorCode.XML_PARSE, "PCI address has no " + what);
        }
        try {
            String s = v.toLowerCase(Locale.ROOT);
            return s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new VnetException(ErrorCode.XML_PARSE, "PCI address " + what + " '" + v + "' is not a number");
        }
    }

    /** The attribute forms libvirt writes (virPCIDeviceAddressFormat). */
    public String domainAttr() {
        return String.format("0x%04x", domain);
    }

    public String busAttr() {
        return String.format("0x%02x", bus);
    }

    public String slotAttr() {
        return String.format("0x%02x", slot);
    }

    public String functionAttr() {
        return String.format("0x%x", function);
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
    }
}
