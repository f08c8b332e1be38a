package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bridge libvirt's network driver runs that firewalld has in one of its zones (libvirt's firewalld backend
 * puts them in {@code libvirt}): {@code import-libvirt --takeover} leaves such a network to libvirt, since
 * vnetd does not take over a bridge in a firewalld zone yet (its own networks' bridges it puts in zones as libvirt does).
 */
public final class LibvirtFirewalldCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        Map<String, String> bridges = new LinkedHashMap<>(); // bridge → libvirt's network
        host.libvirtBridges().forEach(l -> bridges.putIfAbsent(l.bridge(), l.network()));
        if (bridges.isEmpty()) {
            return List.of();
        }
        Map<String, String> zones = host.firewalldZones();
        List<Finding> out = new ArrayList<>();
        bridges.forEach((bridge, network) -> {
            String zone = zones.get(bridge);
            if (zone != null) {
                out.add(new Finding("libvirt_firewalld_zone", Severity.WARN, "bridge " + bridge + " of libvirt's network '" + network
                        + "' is in firewalld's zone '" + zone + "'",
                        "libvirt's firewalld backend put it there; vnetctl import-libvirt --takeover leaves such a network to libvirt,"
                                + " as vnetd does not take over a bridge in a firewalld zone yet",
                        "to move it to vnetd: systemctl disable --now firewalld, then vnetctl import-libvirt --takeover;"
                                + " or keep this network in libvirt"));
            }
        });
        return out;
    }
}
