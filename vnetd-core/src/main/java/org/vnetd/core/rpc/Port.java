package org.vnetd.core.rpc;

import java.util.List;

/** A port (tap attached to a network's bridge) as {@code port.*} returns it. */
public record Port(String uuid, String network, String tap, String tapMac, String mac, String bridge,
        Integer ownerUid, Integer ownerGid, List<String> notes) {
}
