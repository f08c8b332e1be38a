package org.vnetd.core.xml;

import static org.vnetd.core.xml.XmlBuf.positive;

import org.vnetd.core.xml.model.DhcpDef;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.DhcpRangeDef;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.LeaseDef;

/**
 * {@code <ip>} with its {@code <tftp>} and {@code <dhcp>} (ranges, hosts and their leases, bootp), as libvirt's
 * virNetworkIPDefFormat writes them.
 */
final class IpFormatter {
    private final XmlBuf buf;

    IpFormatter(XmlBuf buf) {
        this.buf = buf;
    }

    void write(IpDef ip) {
        buf.add("<ip").attr("family", ip.getFamily()).attr("address", ip.getAddress())
                .attr("netmask", ip.getNetmask());
        if (positive(ip.getPrefix())) {
            buf.attr("prefix", ip.getPrefix());
        }
        buf.attr("localPtr", ip.getLocalPtr());
        String tftpRoot = ip.getTftp() == null ? null : ip.getTftp().getRoot();
        DhcpDef dhcp = ip.getDhcp();
        boolean hasDhcp = dhcp != null && (!dhcp.getRanges().isEmpty() || !dhcp.getHosts().isEmpty());
        if (tftpRoot == null && !hasDhcp) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if (tftpRoot != null) {
            buf.add("<tftp").attr("root", tftpRoot).add("/>\n");
        }
        if (hasDhcp) {
            buf.add("<dhcp>\n").indent(2);
            for (DhcpRangeDef r : dhcp.getRanges()) {
                buf.add("<range").attr("start", r.getStart()).attr("end", r.getEnd());
                lease(r.getLease(), "range");
            }
            for (DhcpHostDef h : dhcp.getHosts()) {
                buf.add("<host").attr("mac", h.getMac()).attr("id", h.getId()).attr("name", h.getName())
                        .attr("ip", h.getIp());
                lease(h.getLease(), "host");
            }
            if (!dhcp.getBootps().isEmpty() && dhcp.getBootps().get(0).getFile() != null) {
                buf.add("<bootp").attr("file", dhcp.getBootps().get(0).getFile())
                        .attr("server", dhcp.getBootps().get(0).getServer()).add("/>\n");
            }
            buf.indent(-2).add("</dhcp>\n");
        }
        buf.indent(-2).add("</ip>\n");
    }

    /** Closes a range/host start tag, with a {@code <lease>} child when one is set. */
    private void lease(LeaseDef lease, String element) {
        if (lease == null || lease.getExpiry() == null) {
            buf.add("/>\n");
            return;
        }
        buf.add(">\n").indent(2);
        if ("0".equals(lease.getExpiry())) {
            buf.add("<lease expiry='0'/>\n");
        } else {
            buf.add("<lease").attr("expiry", lease.getExpiry())
                    .attr("unit", lease.getUnit() == null ? "minutes" : lease.getUnit()).add("/>\n");
        }
        buf.indent(-2).add("</").add(element).add(">\n");
    }
}
