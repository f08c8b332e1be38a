package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlBuf.positive;

import java.util.List;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardDriverDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NatAddressDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.PciAddressDef;

/**
 * {@code <forward>} with its driver, {@code <nat>}, PF, interfaces and PCI addresses, as libvirt's
 * virNetworkForwardDefFormat writes them; {@code inactive} leaves out connection counts and a PF's interfaces.
 */
final class ForwardFormatter {
    private final XmlBuf buf;
    private final boolean inactive;

    ForwardFormatter(XmlBuf buf, boolean inactive) {
        this.buf = buf;
        this.inactive = inactive;
    }

    void write(ForwardDef fwd, ForwardMode mode) {
        if (mode == ForwardMode.NONE) {
            return;
        }
        List<ForwardInterfaceDef> ifs = fwd.getInterfaces();
        List<PciAddressDef> addrs = ifs.isEmpty() ? fwd.getAddresses() : List.of();
        boolean hasPf = !fwd.getPfs().isEmpty();
        String dev = !hasPf && !ifs.isEmpty() ? ifs.get(0).getDev() : null;
        NatDef nat = mode == ForwardMode.NAT && !fwd.getNats().isEmpty() ? fwd.getNats().get(0) : null;
        ForwardDriverDef driver = fwd.getDriver();
        boolean hasDriver = driver != null && (driver.getName() != null || driver.getModel() != null);

        buf.add("<forward").attr("dev", dev).attr("mode", mode.xmlName());
        if (mode == ForwardMode.HOSTDEV) {
            buf.attr("managed", "yes".equals(fwd.getManaged()) ? "yes" : "no");
        }
        boolean natContent = nat != null && (natAddress(nat) != null || natPort(nat) != null);
        boolean natIpv6 = nat != null && nat.getIpv6() != null;
        boolean shortForward = ifs.isEmpty() && addrs.isEmpty() && !hasPf && !natContent && !hasDriver && !natIpv6;
        if (shortForward) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (hasDriver) {
            buf.add("<driver").attr("name", driver.getName()).attr("model", driver.getModel()).add("/>\n");
        }
        if (nat != null) {
            nat(nat);
        }
        if (hasPf) {
            buf.add("<pf").attr("dev", fwd.getPfs().get(0).getDev()).add("/>\n");
        }
        if (!hasPf || !inactive) {
            for (ForwardInterfaceDef i : ifs) {
                buf.add("<interface").attr("dev", i.getDev());
                if (!inactive && positive(i.getConnections())) {
                    buf.attr("connections", i.getConnections());
                }
                buf.add("/>\n");
            }
            for (PciAddressDef a : addrs) {
                buf.add("<address").attr("type", "pci").attr("domain", a.getDomain()).attr("bus", a.getBus())
                        .attr("slot", a.getSlot()).attr("function", a.getFunction()).add("/>\n");
            }
        }
        buf.indent(-2).add("</forward>\n");
    }

    private static NatAddressDef natAddress(NatDef nat) {
        return nat.getAddresses().isEmpty() || nat.getAddresses().get(0).getStart() == null
                ? null : nat.getAddresses().get(0);
    }

    private static NatPortDef natPort(NatDef nat) {
        if (nat.getPorts().isEmpty()) {
            return null;
        }
        NatPortDef p = nat.getPorts().get(0);
        return positive(p.getStart()) || positive(p.getEnd()) ? p : null;
    }

    private void nat(NatDef nat) {
        NatAddressDef addr = natAddress(nat);
        NatPortDef port = natPort(nat);
        if (addr == null && port == null && nat.getIpv6() == null) {
            return;
        }
        buf.add("<nat").attr("ipv6", nat.getIpv6());
        if (addr == null && port == null) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (addr != null) {
            buf.add("<address").attr("start", addr.getStart()).attr("end", addr.getEnd()).add("/>\n");
        }
        if (port != null) {
            buf.add("<port").attr("start", port.getStart() == null ? "0" : port.getStart());
            if (positive(port.getEnd())) {
                buf.attr("end", port.getEnd());
            }
            buf.add("/>\n");
        }
        buf.indent(-2).add("</nat>\n");
    }
}
