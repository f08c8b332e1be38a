package org.vnetd.core.xml.model;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/** An {@code <ip>} element: the bridge's address on the network, with optional DHCP and TFTP. */
@XmlAccessorType(XmlAccessType.FIELD)
public class IpDef {
    @XmlAttribute(name = "family")
    private String family;
    @XmlAttribute(name = "address")
    private String address;
    @XmlAttribute(name = "netmask")
    private String netmask;
    @XmlAttribute(name = "prefix")
    private String prefix;
    @XmlAttribute(name = "localPtr")
    private String localPtr;
    @XmlElement(name = "tftp")
    private List<TftpDef> tftps;
    @XmlElement(name = "dhcp")
    private List<DhcpDef> dhcps;

    public String getFamily() {
        return family;
    }

    public void setFamily(String family) {
        this.family = family;
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public String getNetmask() {
        return netmask;
    }

    public void setNetmask(String netmask) {
        this.netmask = netmask;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getLocalPtr() {
        return localPtr;
    }

    public void setLocalPtr(String localPtr) {
        this.localPtr = localPtr;
    }

    /** The first {@code <tftp>} (libvirt reads only the first), or null. */
    public TftpDef getTftp() {
        return tftps == null || tftps.isEmpty() ? null : tftps.get(0);
    }

    public void setTftp(TftpDef tftp) {
        tftps = tftp == null ? null : new ArrayList<>(List.of(tftp));
    }

    /** The first {@code <dhcp>} (libvirt reads only the first), or null. */
    public DhcpDef getDhcp() {
        return dhcps == null || dhcps.isEmpty() ? null : dhcps.get(0);
    }

    public void setDhcp(DhcpDef dhcp) {
        dhcps = dhcp == null ? null : new ArrayList<>(List.of(dhcp));
    }

    /** The DHCP section, created empty when missing. */
    public DhcpDef dhcpOrCreate() {
        DhcpDef d = getDhcp();
        if (d == null) {
            d = new DhcpDef();
            setDhcp(d);
        }
        return d;
    }

    // ---- typed views (valid after NetworkXml.parse) ----

    public InetAddress address() {
        return IpAddresses.parse(address);
    }

    public boolean isIpv4() {
        return address() instanceof Inet4Address;
    }

    /**
     * The prefix length as libvirt computes it: explicit prefix, else the netmask's bits, else the
     * classful prefix of an IPv4 address, else 64 for IPv6; -1 when none applies.
     */
    public int prefixLength() {
        if (prefix != null && Long.parseLong(prefix) > 0) {
            return (int) Math.min(Long.parseLong(prefix), Integer.MAX_VALUE);
        }
        if (netmask != null) {
            long m = IpAddresses.toInt((Inet4Address) IpAddresses.parse(netmask)) & 0xffffffffL;
            int bits = Math.min(32, Long.numberOfLeadingZeros(~m << 32));
            return m == ((0xffffffffL << (32 - bits)) & 0xffffffffL) ? bits : -1;
        }
        return defaultPrefix(address());
    }

    /**
     * The prefix libvirt assumes when neither prefix nor netmask is given (virSocketAddrGetIPPrefix): the
     * classful one of an IPv4 address (A 8, B 16, C 24, else -1), 64 for IPv6, 0 for the unspecified address.
     */
    public static int defaultPrefix(InetAddress a) {
        if (a instanceof Inet4Address a4) {
            int ip = IpAddresses.toInt(a4);
            if (ip == 0) {
                return 0;
            }
            int octet = (ip >>> 24) & 0xff;
            if ((octet & 0x80) == 0) {
                return 8;
            } else if ((octet & 0xC0) == 0x80) {
                return 16;
            } else if ((octet & 0xE0) == 0xC0) {
                return 24;
            }
            return -1;
        }
        return IpAddresses.toBigInteger(a).signum() == 0 ? 0 : 64;
    }

    /** Address and prefix as the network's interface address, e.g. 192.168.122.1/24. */
    public IpPrefix prefix() {
        return new IpPrefix(address(), prefixLength());
    }

    public List<DhcpRangeDef> ranges() {
        DhcpDef d = getDhcp();
        return d == null ? List.of() : d.getRanges();
    }

    public List<DhcpHostDef> hosts() {
        DhcpDef d = getDhcp();
        return d == null ? List.of() : d.getHosts();
    }

    public Optional<BootpDef> bootp() {
        DhcpDef d = getDhcp();
        return d == null || d.getBootps().isEmpty() ? Optional.empty() : Optional.of(d.getBootps().get(0));
    }

    /** True when this address serves DHCP (has ranges or static hosts), as libvirt decides. */
    public boolean hasDhcp() {
        return !ranges().isEmpty() || !hosts().isEmpty();
    }
}
