package org.vnetd.daemon.driver;

import java.util.LinkedHashMap;
import java.util.Map;

import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.link.Sysctl;
import org.vnetd.core.link.SysctlKey;
import org.vnetd.core.xml.model.ForwardMode;
import org.vnetd.core.xml.model.IpDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The kernel tunables a network needs, as libvirt sets them: IP forwarding for NAT and routed
 * networks (never turned off again: other networks or the host may rely on it), and on the bridge
 * {@code disable_ipv6=1} when the network has no IPv6 address, {@code accept_ra=0} when it has one.
 */
record SysctlStep(Sysctl sysctl, String bridge, boolean forwardV4, boolean forwardV6, boolean hasV6) implements NetworkStep {
    static SysctlStep of(Sysctl sysctl, NetworkDef def) {
        boolean routed = def.forwardMode() == ForwardMode.NAT || def.forwardMode() == ForwardMode.ROUTE;
        boolean v4 = def.ips().stream().anyMatch(IpDef::isIpv4);
        boolean v6 = def.ips().stream().anyMatch(ip -> !ip.isIpv4());
        return new SysctlStep(sysctl, def.bridgeName().orElseThrow(), routed && v4, routed && v6, v6);
    }

    public String id() {
        return "sysctl " + bridge;
    }

    public Map<String, String> apply() {
        Map<String, String> old = new LinkedHashMap<>();
        if (forwardV4) {
            old.put("net.ipv4.ip_forward", sysctl.set(SysctlKey.parse("net.ipv4.ip_forward"), "1").oldValue());
        }
        if (forwardV6) {
            old.put("net.ipv6.conf.all.forwarding", sysctl.set(SysctlKey.parse("net.ipv6.conf.all.forwarding"), "1").oldValue());
        }
        if (hasV6) {
            sysctl.write(SysctlKey.ofInterface("ipv6", bridge, "accept_ra"), "0");
            sysctl.write(SysctlKey.ofInterface("ipv6", bridge, "disable_ipv6"), "0");
        } else if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/ipv6/conf", bridge))) {
            sysctl.write(SysctlKey.ofInterface("ipv6", bridge, "disable_ipv6"), "1");
        }
        return old;
    }

    public void undo(Map<String, String> record) {
        // forwarding stays on (libvirt never turns it off); the bridge's own settings go with the bridge
    }
}
