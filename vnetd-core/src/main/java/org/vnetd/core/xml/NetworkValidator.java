package org.vnetd.core.xml;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.xml.model.DhcpHostDef;
import org.vnetd.core.xml.model.ForwardDef;
import org.vnetd.core.xml.model.ForwardDriverDef;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.MacDef;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.core.xml.model.PortGroupDef;

/**
 * libvirt's networkValidate (bridge_driver.c) over a parsed definition, with libvirt's messages,
 * followed by the checks vnetd adds because it turns names into files and bridges itself.
 */
final class NetworkValidator {
    /** Linux IFNAMSIZ is 16 including the terminating NUL. */
    static final int MAX_IFNAME = 15;
    /** Network names become file names (NAME.xml, NAME.json); stay well inside NAME_MAX. */
    static final int MAX_NAME = 200;

    private NetworkValidator() {
    }

    static void validate(NetworkDef def, RandomGenerator macRandom) {
        String name = def.getName();
        checkName(name);
        ForwardMode mode = def.forwardMode();
        String m = mode.xmlName();
        boolean bandwidthAllowed = false;
        switch (mode) {
            case NONE, NAT, ROUTE, OPEN -> {
                checkBridgeName(def);
                if (def.getMac() == null || def.getMac().getAddress() == null) {
                    MacDef mac = new MacDef();
                    mac.setAddress(MacAddress.randomLibvirt(macRandom).toString());
                    def.setMac(mac);
                }
                bandwidthAllowed = true;
            }
            case BRIDGE, PRIVATE, VEPA, PASSTHROUGH, HOSTDEV -> {
                if (mode == ForwardMode.BRIDGE && def.bridgeName().isPresent()) {
                    bandwidthAllowed = true;
                    checkBridgeName(def);
                }
                if (def.getMac() != null && def.getMac().getAddress() != null) {
                    throw fail("Unsupported <mac> element in network %s with forward mode='%s'", name, m);
                }
                if (!def.getIps().isEmpty()) {
                    throw fail("Unsupported <ip> element in network %s with forward mode='%s'", name, m);
                }
                if (def.getDns() != null && (!def.getDns().getTxts().isEmpty() || !def.getDns().getHosts().isEmpty()
                        || !def.getDns().getSrvs().isEmpty())) {
                    throw fail("Unsupported <dns> element in network %s with forward mode='%s'", name, m);
                }
                if (def.domainName().isPresent()) {
                    throw fail("Unsupported <domain> element in network %s with forward mode='%s'", name, m);
                }
            }
            default -> throw new IllegalStateException(m);
        }
        if (mode == ForwardMode.HOSTDEV && def.getForward() != null && !def.getForward().getPfs().isEmpty()) {
            // VFs taken from a PF are always handed to guests through vfio; libvirt's output for
            // such a network names the driver (hostdev-pf fixture).
            ForwardDriverDef driver = def.getForward().getDriver();
            if (driver == null) {
                driver = new ForwardDriverDef();
                def.getForward().setDriver(driver);
            }
            if (driver.getName() == null) {
                driver.setName("vfio");
            }
        }
        if (def.getBandwidth() != null && !bandwidthAllowed) {
            throw fail("Unsupported network-wide <bandwidth> element in network %s with forward mode='%s'", name, m);
        }
        devicePool(def, name, mode);
        dhcpPerFamily(def);
        hostsUnique(def);
        portGroupsAndVlans(def, name, mode);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw fail("network name must not be empty");
        }
        if (name.indexOf('\n') >= 0) {
            throw fail("invalid character '\\n' in network name '%s'", name.replace("\n", "\\n"));
        }
        if (name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw fail("network name '%s' cannot be used as a file name", name);
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw fail("network name '%s' contains a control character at position %d", name, i);
            }
        }
        if (name.length() > MAX_NAME) {
            throw fail("network name '%s...' is %d characters long, the limit is %d", name.substring(0, 20),
                    name.length(), MAX_NAME);
        }
    }

    /** A bridge name (unless it is a virbr%d template) must be a usable Linux interface name. */
    private static void checkBridgeName(NetworkDef def) {
        String bridge = def.bridgeName().orElse(null);
        if (bridge == null || bridge.contains("%d")) {
            return;
        }
        if (bridge.isEmpty() || bridge.length() > MAX_IFNAME) {
            throw fail("bridge name '%s' in network '%s' must be 1 to %d characters long", bridge, def.getName(),
                    MAX_IFNAME);
        }
        for (char c : bridge.toCharArray()) {
            if (c == '/' || c == ':' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw fail("invalid character '%c' in bridge name '%s' of network '%s'", c, bridge, def.getName());
            }
        }
        if (bridge.equals(".") || bridge.equals("..")) {
            throw fail("invalid bridge name '%s' in network '%s'", bridge, def.getName());
        }
    }

    private static void devicePool(NetworkDef def, String name, ForwardMode mode) {
        ForwardDef fwd = def.getForward();
        if (fwd == null) {
            return;
        }
        boolean usesInterface = !fwd.getInterfaces().isEmpty();
        boolean usesAddress = fwd.getInterfaces().isEmpty() && !fwd.getAddresses().isEmpty();
        if (usesInterface && mode == ForwardMode.HOSTDEV) {
            throw fail("hostdev network '%s' lists '%s' in the device pool, but hostdev networks require all devices to be listed by PCI address, not network device name",
                    name, fwd.getInterfaces().get(0).getDev());
        }
        if (usesAddress && mode != ForwardMode.HOSTDEV) {
            throw fail("network '%s' has forward mode '%s' but lists a device by PCI address in the device pool. This is only supported for networks with forward mode 'hostdev'",
                    name, mode.xmlName());
        }
        // (libvirt also checks in sysfs that each PCI address is an SR-IOV VF; that is host state,
        // checked by the daemon when it starts the network, not here.)
        int kinds = (fwd.getPfs().isEmpty() ? 0 : 1) + (usesInterface ? 1 : 0) + (usesAddress ? 1 : 0);
        if (kinds > 1) {
            throw fail("<address>, <interface>, and <pf> elements of <forward> in network %s are mutually exclusive", name);
        }
    }

    private static void dhcpPerFamily(NetworkDef def) {
        boolean v4 = false;
        boolean v6 = false;
        for (IpDef ip : def.getIps()) {
            if (!ip.hasDhcp()) {
                continue;
            }
            if (ip.isIpv4()) {
                if (v4) {
                    throw fail("Multiple IPv4 dhcp sections found -- dhcp is supported only for a single IPv4 address on each network");
                }
                v4 = true;
            } else {
                if (v6) {
                    throw fail("Multiple IPv6 dhcp sections found -- dhcp is supported only for a single IPv6 address on each network");
                }
                v6 = true;
            }
        }
    }

    /** vnetd's DHCP server needs unambiguous static hosts, inside the subnet they are served on. */
    private static void hostsUnique(NetworkDef def) {
        for (IpDef ip : def.getIps()) {
            hostAddress(def, ip);
            Set<String> macs = new HashSet<>();
            Set<String> ips = new HashSet<>();
            Set<String> names = new HashSet<>();
            int prefix = IpChecks.prefixOf(ip);
            InetAddress net = ip.address();
            for (DhcpHostDef h : ip.hosts()) {
                String where = String.format("in <ip address='%s'> of network '%s'", ip.getAddress(), def.getName());
                if (h.getMac() != null && !macs.add(MacAddress.parse(h.getMac()).toString())) {
                    throw fail("duplicate DHCP host mac '%s' %s", h.getMac(), where);
                }
                if (h.getName() != null && !names.add(h.getName())) {
                    throw fail("duplicate DHCP host name '%s' %s", h.getName(), where);
                }
                if (h.getIp() != null) {
                    InetAddress a = Addr.tryParse(h.getIp());
                    if (!ips.add(Addr.format(a))) {
                        throw fail("duplicate DHCP host ip '%s' %s", h.getIp(), where);
                    }
                    if (prefix >= 0 && !Addr.sameNetwork(a, net, prefix)) {
                        throw fail("DHCP host ip '%s' is not inside network %s/%d %s", h.getIp(), ip.getAddress(),
                                prefix, where);
                    }
                }
            }
        }
    }

    /** The bridge's own IPv4 address cannot be its subnet's network or broadcast address. */
    private static void hostAddress(NetworkDef def, IpDef ip) {
        int prefix = IpChecks.prefixOf(ip);
        if (!ip.isIpv4() || prefix < 1 || prefix > 30) {
            return;
        }
        java.math.BigInteger a = Addr.value(ip.address());
        java.math.BigInteger mask = Addr.mask(prefix, 32);
        java.math.BigInteger host = mask.xor(java.math.BigInteger.ONE.shiftLeft(32).subtract(java.math.BigInteger.ONE));
        if (a.and(host).signum() == 0) {
            throw fail("<ip address='%s'> of network '%s' is the network address of %s/%d, not a host address",
                    ip.getAddress(), def.getName(), ip.getAddress(), prefix);
        }
        if (a.and(host).equals(host)) {
            throw fail("<ip address='%s'> of network '%s' is the broadcast address of its /%d subnet, not a host address",
                    ip.getAddress(), def.getName(), prefix);
        }
    }

    private static void portGroupsAndVlans(NetworkDef def, String name, ForwardMode mode) {
        String baseType = def.getVirtualPort() == null ? null : def.getVirtualPort().getType();
        boolean ovsBase = "openvswitch".equals(baseType);
        // libvirt's fixtures (8021Qbh-net) accept a VLAN on a macvtap network whose switch port is
        // managed through an 802.1Qbg/802.1Qbh profile; hostdev, passthrough and Open vSwitch
        // bridges apply VLANs themselves.
        boolean vdpProfile = "802.1Qbh".equals(baseType) || "802.1Qbg".equals(baseType);
        boolean vlanAllowed = mode == ForwardMode.HOSTDEV || mode == ForwardMode.PASSTHROUGH
                || (mode == ForwardMode.BRIDGE && ovsBase)
                || ((mode == ForwardMode.PRIVATE || mode == ForwardMode.VEPA) && vdpProfile);
        boolean vlanUsed = def.getVlan() != null && !def.getVlan().getTags().isEmpty();
        boolean badVlanUse = false;
        boolean bandwidthAllowed = mode.hasBridge() || (mode == ForwardMode.BRIDGE && def.bridgeName().isPresent());
        PortGroupDef defaultPg = null;
        var groups = def.getPortGroups();
        for (int i = 0; i < groups.size(); i++) {
            PortGroupDef pg = groups.get(i);
            boolean pgVlan = pg.getVlan() != null && !pg.getVlan().getTags().isEmpty();
            if (vlanUsed || pgVlan) {
                if (pg.getVirtualPort() != null) {
                    // A portgroup's <virtualport> without a type is merged with the network's own
                    // (as libvirt does when it allocates a port), so it inherits that type.
                    String pgType = pg.getVirtualPort().getType() != null ? pg.getVirtualPort().getType() : baseType;
                    if (mode != ForwardMode.BRIDGE || !"openvswitch".equals(pgType)) {
                        badVlanUse = true;
                    }
                } else if (!vlanAllowed) {
                    badVlanUse = true;
                }
            }
            if ("yes".equals(pg.getIsDefault())) {
                if (defaultPg != null) {
                    throw fail("network '%s' has multiple default <portgroup> elements (%s and %s), but only one default is allowed",
                            name, defaultPg.getName(), pg.getName());
                }
                defaultPg = pg;
            }
            for (int j = i + 1; j < groups.size(); j++) {
                if (pg.getName().equals(groups.get(j).getName())) {
                    throw fail("multiple <portgroup> elements with the same name (%s) in network '%s'", pg.getName(), name);
                }
            }
            if (pg.getBandwidth() != null && !bandwidthAllowed) {
                throw fail("Unsupported <bandwidth> element in network '%s' in portgroup '%s' with forward mode='%s'",
                        name, pg.getName(), mode.xmlName());
            }
        }
        if (badVlanUse || (vlanUsed && !vlanAllowed && defaultPg == null)) {
            throw fail("<vlan> element specified for network %s, whose type doesn't support vlan configuration", name);
        }
        if (mode == ForwardMode.HOSTDEV) {
            for (PortGroupDef pg : groups) {
                if (pg.getBandwidth() != null) {
                    throw fail("unsupported <bandwidth> element in <portgroup name='%s'> of network '%s' with forward mode='%s'",
                            pg.getName(), name, mode.xmlName());
                }
            }
        }
    }

    private static VnetException fail(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_VALIDATION, fmt, args);
    }
}
