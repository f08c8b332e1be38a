package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlValues.invalid;
import static org.vnetd.core.xml.XmlValues.parse;
import static org.vnetd.core.xml.XmlValues.parseCNumber;
import static org.vnetd.core.xml.XmlValues.parseUnsigned;
import static org.vnetd.core.xml.XmlValues.tristate;
import static org.vnetd.core.xml.XmlValues.uuid;

import java.util.List;
import org.vnetd.core.xml.model.BandwidthDef;
import org.vnetd.core.xml.model.BandwidthRateDef;
import org.vnetd.core.xml.model.PortGroupDef;
import org.vnetd.core.xml.model.VirtualPortDef;
import org.vnetd.core.xml.model.VirtualPortParametersDef;
import org.vnetd.core.xml.model.VlanDef;
import org.vnetd.core.xml.model.VlanTagDef;

/** The parse-time checks of port settings: portgroups, {@code <bandwidth>}, {@code <vlan>} and {@code <virtualport>}. */
final class PortProfileChecks {
    private PortProfileChecks() {
    }

    static void portGroup(PortGroupDef pg) {
        if (pg.getName() == null) {
            throw parse("Missing required name attribute in portgroup");
        }
        pg.setIsDefault(pg.getIsDefault() != null && pg.getIsDefault().equalsIgnoreCase("yes") ? "yes" : null);
        pg.setTrustGuestRxFilters(tristate(pg.getTrustGuestRxFilters(), "trustGuestRxFilters", "portgroup"));
        if (pg.getVirtualPort() != null) {
            virtualPort(pg.getVirtualPort(), false);
        }
        if (pg.getBandwidth() != null) {
            pg.setBandwidth(bandwidth(pg.getBandwidth(), false));
        }
        if (pg.getVlan() != null) {
            vlan(pg.getVlan());
        }
    }

    static BandwidthDef bandwidth(BandwidthDef bw, boolean allowFloor) {
        if (bw.getClassID() != null) {
            throw invalid("classID attribute not supported on <bandwidth> in this usage context");
        }
        if (bw.getInbound() != null) {
            rate(bw.getInbound(), allowFloor);
        }
        if (bw.getOutbound() != null) {
            rate(bw.getOutbound(), false);
        }
        return bw.getInbound() == null && bw.getOutbound() == null ? null : bw;
    }

    private static void rate(BandwidthRateDef r, boolean allowFloor) {
        r.setAverage(ullong(r.getAverage(), "average"));
        r.setPeak(ullong(r.getPeak(), "peak"));
        r.setBurst(ullong(r.getBurst(), "burst"));
        r.setFloor(ullong(r.getFloor(), "floor"));
        if (r.getAverage() == null && r.getFloor() == null) {
            throw invalid("Missing mandatory average or floor attributes");
        }
        if ((r.getPeak() != null || r.getBurst() != null) && r.getAverage() == null) {
            throw invalid("'peak' and 'burst' require 'average' attribute");
        }
        if (r.getFloor() != null && !allowFloor) {
            throw invalid("floor attribute is not supported for this config");
        }
    }

    private static String ullong(String v, String attr) {
        if (v == null) {
            return null;
        }
        Long n = parseUnsigned(v);
        if (n == null) {
            throw invalid("Invalid value for attribute '%s' in element 'bandwidth rate': '%s'. Expected non-negative integer value",
                    attr, v);
        }
        return Long.toUnsignedString(n);
    }

    static void vlan(VlanDef vlan) {
        List<VlanTagDef> tags = vlan.getTags();
        if (tags.isEmpty()) {
            throw parse("missing tag id - each <vlan> must have at least one <tag id='n'/> subelement");
        }
        boolean nativeSeen = false;
        for (VlanTagDef t : tags) {
            if (t.getId() == null) {
                throw parse("Missing required attribute 'id' in element 'tag'");
            }
            Long id = parseUnsigned(t.getId());
            if (id == null) {
                throw invalid("Invalid value for attribute 'id' in element 'tag': '%s'. Expected non-negative integer value",
                        t.getId());
            }
            if (id > 4095) {
                throw invalid("vlan tag id %d too large (maximum 4095)", id);
            }
            t.setId(Long.toString(id));
            if (t.getNativeMode() != null) {
                if (!t.getNativeMode().equals("tagged") && !t.getNativeMode().equals("untagged")) {
                    throw invalid("Invalid value for attribute 'nativeMode' in element 'tag': '%s'", t.getNativeMode());
                }
                if (nativeSeen) {
                    throw invalid("duplicate native vlan setting");
                }
                nativeSeen = true;
            }
        }
        String trunk = vlan.getTrunk();
        boolean isTrunk = tags.size() > 1;
        if (trunk != null) {
            isTrunk = trunk.equalsIgnoreCase("yes");
            if (!isTrunk) {
                if (tags.size() > 1) {
                    throw invalid("invalid \"trunk='%s'\" in <vlan> - trunk='yes' is required for more than one vlan tag", trunk);
                }
                if (nativeSeen) {
                    throw invalid("invalid configuration in <vlan> - \"trunk='no'\" is not allowed with a native vlan id");
                }
                if (!trunk.equalsIgnoreCase("no")) {
                    throw invalid("invalid \"trunk='%s'\" in <vlan> - must be yes or no", trunk);
                }
            }
        }
        vlan.setTrunk(isTrunk ? "yes" : null);
    }

    static void virtualPort(VirtualPortDef vp, boolean requireType) {
        String type = vp.getType();
        if (type != null && !List.of("802.1Qbg", "802.1Qbh", "openvswitch", "midonet").contains(type)) {
            throw invalid("unknown virtualport type %s", type);
        }
        if (type == null && requireType) {
            throw parse("missing required virtualport type");
        }
        VirtualPortParametersDef p = vp.getParameters();
        if (p == null) {
            return;
        }
        if (p.getManagerid() != null) {
            p.setManagerid(Long.toString(vportNumber(p.getManagerid(), "managerid", 0xff)));
        }
        if (p.getTypeid() != null) {
            p.setTypeid(Long.toString(vportNumber(p.getTypeid(), "typeid", 0xffffff)));
        }
        if (p.getTypeidversion() != null) {
            p.setTypeidversion(Long.toString(vportNumber(p.getTypeidversion(), "typeidversion", 0xff)));
        }
        if (p.getInstanceid() != null) {
            p.setInstanceid(uuid(p.getInstanceid(), "instanceid parameter"));
        }
        if (p.getProfileid() != null && p.getProfileid().length() >= 40) {
            throw invalid("profileid parameter too long");
        }
        if (p.getInterfaceid() != null) {
            p.setInterfaceid(uuid(p.getInterfaceid(), "interfaceid parameter"));
        }
        if (type != null) {
            checkNoExtras(type, p);
        }
    }

    /** virNetDevVPortProfileCheckNoExtras: parameters that make no sense for the type. */
    private static void checkNoExtras(String type, VirtualPortParametersDef p) {
        boolean qbg = type.equals("802.1Qbg");
        boolean qbh = type.equals("802.1Qbh");
        boolean ovs = type.equals("openvswitch");
        if (!qbg) {
            String[][] qbgOnly = {{"managerid", p.getManagerid()}, {"typeid", p.getTypeid()},
                    {"typeidversion", p.getTypeidversion()}, {"instanceid", p.getInstanceid()}};
            for (String[] a : qbgOnly) {
                if (a[1] != null) {
                    throw invalid("extra %s specified for %s virtualport", a[0], type);
                }
            }
        }
        if (!(ovs || qbh) && p.getProfileid() != null && !p.getProfileid().isEmpty()) {
            throw invalid("extra profileid specified for %s virtualport", type);
        }
        if (!(ovs || type.equals("midonet")) && p.getInterfaceid() != null) {
            throw invalid("extra interfaceid specified for %s virtualport", type);
        }
    }

    private static long vportNumber(String v, String attr, long max) {
        Long n = parseCNumber(v);
        if (n == null) {
            throw invalid("cannot parse value of %s parameter", attr);
        }
        if (n > max) {
            throw invalid("value of %s out of range", attr);
        }
        return n;
    }
}
