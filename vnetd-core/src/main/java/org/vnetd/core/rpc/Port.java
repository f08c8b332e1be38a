package org.vnetd.core.rpc;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A port (a tap on a network's bridge) as {@code port.create} and {@code port.list} return it (docs/rpc.md
 * {@code Port}). {@code state} is {@code ok}, {@code network-inactive} (its network was destroyed),
 * {@code network-gone} (undefined or replaced by another network of that name) or {@code tap-gone} (a passed-fd
 * tap whose holder closed it). {@code fdToken} is set only in the reply of a {@code passFd} create. Absent
 * optional fields are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Port(String uuid, String network, String tap, String tapMac, String mac, String bridge,
        Integer ownerUid, Integer ownerGid, String portgroup, String ip, boolean isolated, Integer mtu, int queues,
        boolean passFd, String state, List<String> notes, String fdToken) {
    public static final String OK = "ok";
}
