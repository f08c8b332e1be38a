package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * A bridge of one of vnetd's running networks that libvirt's network driver manages too (its status file
 * says it runs a network there, or its dnsmasq serves it): two DHCP servers answer the guests, and libvirt
 * puts its firewall rules back whenever its daemon starts.
 */
public final class LibvirtBridgeCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        List<Finding> out = new ArrayList<>();
        List<HostProbe.LibvirtBridge> libvirt = host.libvirtBridges();
        for (NetworkFacts n : networks) {
            String bridge = n.summary().bridge();
            if (!n.summary().active() || bridge == null) {
                continue;
            }
            List<String> evidence = libvirt.stream().filter(l -> l.bridge().equals(bridge))
                    .map(l -> "libvirt's network '" + l.network() + "': " + l.evidence()).toList();
            if (!evidence.isEmpty()) {
                out.add(new Finding("libvirt_bridge", Severity.FAIL, "bridge " + bridge + " of network '" + n.summary().name()
                        + "' is managed by libvirt's network driver too (" + String.join("; ", evidence) + ")",
                        "libvirt's dnsmasq answers DHCP and DNS next to vnetd's, and libvirt puts its firewall rules back when its"
                                + " daemon starts",
                        "systemctl disable --now virtnetworkd.socket virtnetworkd-ro.socket virtnetworkd (or libvirtd); then"
                                + " vnetctl import-libvirt --takeover, which moves libvirt's running networks to vnetd"));
            }
        }
        return out;
    }
}
