package org.vnetd.cli.rpc;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** docs/rpc.md Port: a tap attached to a network's bridge on behalf of a VM launcher. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Port(String uuid, String network, String tap, String tapMac, String mac, String bridge,
                   Integer ownerUid, Integer ownerGid, List<String> notes) {
}
