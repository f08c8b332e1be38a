package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.parseCNumber;
import static org.vnetd.core.xml.XmlValues.parseUnsigned;
import static org.vnetd.core.xml.XmlValues.tristate;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardInterfaceDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.NatAddressDef;
import org.vnetd.core.xml.model.NatDef;
import org.vnetd.core.xml.model.NatPortDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PciAddressDef;

/** The parse-time checks of {@code <forward>}: mode, device pool, {@code <nat>}, and what the mode allows elsewhere. */
final class ForwardChecks {
    private ForwardChecks() {
    }

    static ForwardMode forward(String name, ForwardDef fwd) {
        ForwardMode mode;
        if (fwd.getMode() == null) {
            mode = ForwardMode.NAT;
        } else {
            String m = fwd.getMode();
            mode = null;
            for (ForwardMode fm : ForwardMode.values()) {
                if (fm.xmlName().equals(m)) {
                    mode = fm;
                }
            }
            if (mode == null) {
                // libvirt's wording and code (VIR_ERR_CONFIG_UNSUPPORTED), which the libvirt front-end reads from the prefix
                throw invalid("unsupported configuration: unknown forwarding type '%s'", m);
            }
        }
        fwd.setMode(mode.xmlName());
        fwd.setManaged(fwd.getManaged() != null && fwd.getManaged().equalsIgnoreCase("yes") ? "yes" : null);
        if (fwd.getDriver() != null && fwd.getDriver().getName() != null) {
            String dn = fwd.getDriver().getName();
            if (!dn.equals("kvm") && !dn.equals("vfio") && !dn.equals("xen")) {
                throw invalid("Unknown forward <driver name='%s'/> in network %s", dn, name);
            }
        }
        if (fwd.getNats().size() > 1) {
            throw parse("Only one <nat> element is allowed in <forward> of network %s", name);
        }
        if (fwd.getNats().size() == 1) {
            nat(name, mode, fwd.getNats().get(0));
        }
        List<ForwardInterfaceDef> ifs = fwd.getInterfaces();
        List<PciAddressDef> addrs = fwd.getAddresses();
        String dev = fwd.getDev();
        if (dev != null && (!addrs.isEmpty() || !fwd.getPfs().isEmpty())) {
            throw parse("the <forward> 'dev' attribute cannot be used when <address> or <pf> sub-elements are present in network %s",
                    name);
        }
        if (!ifs.isEmpty() || dev != null) {
            List<ForwardInterfaceDef> out = new ArrayList<>();
            if (dev != null) {
                ForwardInterfaceDef first = new ForwardInterfaceDef();
                first.setDev(dev);
                out.add(first);
            }
            for (int i = 0; i < ifs.size(); i++) {
                ForwardInterfaceDef fi = ifs.get(i);
                if (fi.getDev() == null) {
                    throw parse("Missing required dev attribute in <forward> <interface> element of network %s", name);
                }
                if (i == 0 && dev != null) {
                    if (!fi.getDev().equals(dev)) {
                        throw parse("<forward dev='%s'> must match first <interface dev='%s'/> in network %s",
                                dev, fi.getDev(), name);
                    }
                    out.set(0, fi);
                    continue;
                }
                for (ForwardInterfaceDef prev : out) {
                    if (fi.getDev().equals(prev.getDev())) {
                        throw parse("interface '%s' can only be listed once in network %s", fi.getDev(), name);
                    }
                }
                out.add(fi);
            }
            ifs.clear();
            ifs.addAll(out);
            // libvirt keeps one device pool: netdev names win over PCI addresses and the PF
            addrs.clear();
            fwd.getPfs().clear();
        } else if (!addrs.isEmpty()) {
            for (int i = 0; i < addrs.size(); i++) {
                PciAddressDef a = addrs.get(i);
                if (a.getType() == null) {
                    throw parse("missing address type in network %s", name);
                }
                if (!a.getType().equals("pci")) {
                    if (a.getType().equals("none") || a.getType().equals("netdev")) {
                        throw parse("unsupported address type '%s' in network %s", a.getType(), name);
                    }
                    throw invalid("unknown address type '%s' in network %s", a.getType(), name);
                }
                pciAddress(a);
                for (int j = 0; j < i; j++) {
                    PciAddressDef b = addrs.get(j);
                    if (a.getDomain().equals(b.getDomain()) && a.getBus().equals(b.getBus())
                            && a.getSlot().equals(b.getSlot()) && a.getFunction().equals(b.getFunction())) {
                        throw parse("PCI device '%s:%s:%s.%s' can only be listed once in network %s",
                                a.getDomain().substring(2), a.getBus().substring(2), a.getSlot().substring(2),
                                a.getFunction().substring(2), name);
                    }
                }
            }
            fwd.getPfs().clear();
        } else if (fwd.getPfs().size() > 1) {
            throw parse("Only one <pf> element is allowed in <forward> of network %s", name);
        } else if (fwd.getPfs().size() == 1 && fwd.getPfs().get(0).getDev() == null) {
            throw parse("Missing required dev attribute in <pf> element of network '%s'", name);
        }
        fwd.setDev(ifs.isEmpty() ? null : ifs.get(0).getDev());
        return mode;
    }

    private static void pciAddress(PciAddressDef a) {
        a.setDomain(String.format("0x%04x", pciField(a.getDomain(), "domain", 0xFFFFFFFFL)));
        a.setBus(String.format("0x%02x", pciField(a.getBus(), "bus", 0xFF)));
        a.setSlot(String.format("0x%02x", pciField(a.getSlot(), "slot", 0x1F)));
        a.setFunction(String.format("0x%x", pciField(a.getFunction(), "function", 7)));
        if (a.getMultifunction() != null) {
            a.setMultifunction(tristate(a.getMultifunction(), "multifunction", "address").equals("yes") ? "on" : "off");
        }
    }

    private static long pciField(String v, String field, long max) {
        if (v == null) {
            return 0;
        }
        Long n = parseCNumber(v);
        if (n == null) {
            throw invalid("Cannot parse <address> '%s' attribute", field);
        }
        if (n > max) {
            throw invalid("Invalid PCI address %s. Must be <= 0x%x", field, max);
        }
        return n;
    }

    private static void nat(String name, ForwardMode mode, NatDef nat) {
        if (mode != ForwardMode.NAT) {
            throw parse("The <nat> element can only be used when <forward> 'mode' is 'nat' in network %s", name);
        }
        nat.setIpv6(tristate(nat.getIpv6(), "ipv6", "nat"));
        if (nat.getAddresses().size() > 1) {
            throw parse("Only one <address> element is allowed in <nat> in <forward> in network %s", name);
        }
        if (nat.getAddresses().size() == 1) {
            NatAddressDef a = nat.getAddresses().get(0);
            if (a.getStart() == null) {
                throw parse("missing 'start' attribute in <address> element in <nat> in <forward> in network %s", name);
            }
            if (a.getEnd() == null) {
                throw parse("missing 'end' attribute in <address> element in <nat> in <forward> in network %s", name);
            }
            InetAddress s = Addr.tryParse(a.getStart());
            if (s == null || !Addr.isV4(s)) {
                throw invalid("Bad ipv4 start address '%s' in <nat> in <forward> in network '%s'", a.getStart(), name);
            }
            InetAddress e = Addr.tryParse(a.getEnd());
            if (e == null || !Addr.isV4(e)) {
                throw invalid("Bad ipv4 end address '%s' in <nat> in <forward> in network '%s'", a.getEnd(), name);
            }
            Addr.checkRange(s, e, null, 0);
            a.setStart(Addr.format(s));
            a.setEnd(Addr.format(e));
        }
        if (nat.getPorts().size() > 1) {
            throw parse("Only one <port> element is allowed in <nat> in <forward> in network %s", name);
        }
        if (nat.getPorts().size() == 1) {
            NatPortDef p = nat.getPorts().get(0);
            Long start = p.getStart() == null ? null : parseUnsigned(p.getStart());
            if (start == null || start > 65535) {
                throw invalid("Missing or invalid 'start' attribute in <port> in <nat> in <forward> in network %s", name);
            }
            Long end = p.getEnd() == null ? null : parseUnsigned(p.getEnd());
            if (end == null || end > 65535 || end < start) {
                throw invalid("Missing or invalid 'end' attribute in <port> in <nat> in <forward> in network %s", name);
            }
            p.setStart(Long.toString(start));
            p.setEnd(Long.toString(end));
        }
    }

    /** virNetworkDefParseXML's checks that tie the rest of the definition to the forward mode. */
    static void modeChecks(NetworkDef def, String name, ForwardMode mode) {
        ForwardDef fwd = def.getForward();
        int nifs = fwd == null ? 0 : fwd.getInterfaces().size() + fwd.getAddresses().size();
        int npfs = fwd == null ? 0 : fwd.getPfs().size();
        BridgeDef b = def.getBridge();
        String bridge = b == null ? null : b.getName();
        String zone = b == null ? null : b.getZone();
        String mtm = b == null ? null : b.getMacTableManager();
        String m = mode.xmlName();
        switch (mode) {
            case NONE -> {
                // isolated: nothing to check
            }
            case ROUTE, NAT, OPEN -> {
                if (def.getIps().isEmpty()) {
                    throw parse("%s forwarding requested, but no IP address provided for network '%s'", m, name);
                }
                if (nifs > 1) {
                    throw parse("multiple forwarding interfaces specified for network '%s', only one is supported", name);
                }
                if (mode == ForwardMode.OPEN && nifs > 0) {
                    throw parse("forward dev not allowed for network '%s' with forward mode='%s'", name, m);
                }
            }
            case PRIVATE, VEPA, PASSTHROUGH, HOSTDEV, BRIDGE -> {
                if (mode != ForwardMode.BRIDGE) {
                    if (bridge != null) {
                        throw parse("bridge name not allowed in %s mode (network '%s')", m, name);
                    }
                    if (zone != null) {
                        throw parse("bridge zone not allowed in %s mode (network '%s')", m, name);
                    }
                    if (mtm != null) {
                        throw parse("bridge macTableManager setting not allowed in %s mode (network '%s')", m, name);
                    }
                }
                boolean delay = b != null && b.getDelay() != null && Long.parseLong(b.getDelay()) != 0;
                if (delay || (b != null && b.getStp() != null) || zone != null) {
                    throw parse("bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in %s (network '%s')",
                            m, name);
                }
                if (bridge != null && (nifs > 0 || npfs > 0)) {
                    throw parse("A network with forward mode='%s' can specify a bridge name or a forward dev, but not both (network '%s')",
                            m, name);
                }
            }
            default -> throw new IllegalStateException(m);
        }
        if (def.getMtu() != null && def.getMtu().getSize() != null && Long.parseLong(def.getMtu().getSize()) != 0
                && !mode.hasBridge()) {
            throw parse("mtu size only allowed in open, route, nat, and isolated mode, not in %s (network '%s')", m, name);
        }
    }
}
