package org.vnetd.daemon.port;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A port as {@code port.create} and {@code port.list} return it (docs/rpc.md {@code Port}), plus its
 * {@code state}: {@code ok}, {@code network-inactive} (its network was destroyed), {@code network-gone}
 * (undefined or replaced by another network of that name) or {@code tap-gone} (a passed-fd tap whose
 * holder closed it). {@code fdToken} is set only in the reply of a {@code passFd} create.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortStatus(String uuid, String network, String tap, String tapMac, String mac, String bridge,
        Integer ownerUid, Integer ownerGid, String portgroup, String ip, boolean isolated, Integer mtu, int queues,
        boolean passFd, String state, List<String> notes, String fdToken) {
    static PortStatus of(PortRecord r, String state, String fdToken) {
        return new PortStatus(r.uuid(), r.network(), r.tap(), r.tapMac(), r.mac(), r.bridge(), r.ownerUid(), r.ownerGid(),
                r.portgroup(), r.ip(), r.isolated(), r.mtu(), r.queues(), r.passFd(), state, r.notes(), fdToken);
    }
}
