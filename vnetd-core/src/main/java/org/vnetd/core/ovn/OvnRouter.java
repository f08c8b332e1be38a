package org.vnetd.core.ovn;

import java.util.Optional;

/**
 * The logical router of a {@code nat} or {@code route} network: its port on the network's switch
 * holds the network's gateway address; {@code uplink} is its way out, and {@code snat} whether the
 * network's subnet leaves it translated to the uplink address ({@code nat}) or as it is ({@code route}).
 */
public record OvnRouter(String name, String switchPort, String routerPort, String mac, String networks,
        Optional<OvnUplink> uplink, boolean snat) {
}
