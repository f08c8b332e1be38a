package org.vnetd.cli.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.rpc.Port;

/**
 * A running network's bridge must exist and be up, and each port's tap must still be enslaved to it;
 * someone's {@code ip link del} or a NetworkManager profile grabbing the bridge shows up here.
 */
public final class LinkCheck implements Check {
    @Override
    public List<Finding> run(HostProbe host, List<NetworkFacts> networks) {
        Map<String, Map<String, Object>> links = new HashMap<>();
        for (Map<String, Object> l : IpJson.parse(host.ipJson("link", "show"))) {
            links.put(IpJson.text(l, "ifname"), l);
        }
        List<Finding> out = new ArrayList<>();
        for (NetworkFacts n : networks) {
            String bridge = n.summary().bridge();
            if (!n.summary().active()) {
                out.add(Finding.info("bridge", "network '" + n.name() + "' is not running; bridge and taps not checked",
                        "start it with vnetctl net-start " + n.name()));
                continue;
            }
            if (bridge == null || bridge.isEmpty()) {
                continue;
            }
            Map<String, Object> link = links.get(bridge);
            if (link == null) {
                out.add(new Finding("bridge", Severity.FAIL, "bridge " + bridge + " of network '" + n.name()
                        + "' is missing",
                        "the daemon thinks '" + n.name() + "' runs, but its bridge was deleted; guests are cut off",
                        "vnetctl net-destroy " + n.name() + " && vnetctl net-start " + n.name()));
                continue;
            }
            boolean up = false;
            if (link.get("flags") instanceof List<?> flags) {
                up = flags.contains("UP");
            }
            if (!up) {
                out.add(new Finding("bridge", Severity.FAIL, "bridge " + bridge + " of network '" + n.name()
                        + "' is down", "a bridge that is administratively down forwards nothing",
                        "ip link set " + bridge + " up"));
            } else {
                out.add(Finding.ok("bridge", "bridge " + bridge + " of network '" + n.name() + "' is up"));
            }
            for (Port p : n.ports()) {
                if (p.tap() == null || p.tap().isEmpty()) {
                    continue;
                }
                Map<String, Object> tap = links.get(p.tap());
                if (tap == null) {
                    out.add(new Finding("tap", Severity.FAIL, "tap " + p.tap() + " of port " + p.uuid() + " is gone",
                            "the VM's NIC has no host side any more",
                            "vnetctl net-port-delete " + n.name() + " " + p.uuid()
                                    + ", then let the VM's launcher create the port again"));
                } else if (!bridge.equals(IpJson.text(tap, "master"))) {
                    out.add(new Finding("tap", Severity.FAIL, "tap " + p.tap() + " of port " + p.uuid()
                            + " is detached from " + bridge,
                            "frames of that VM no longer reach the network",
                            "ip link set " + p.tap() + " master " + bridge));
                }
            }
        }
        return out;
    }
}
