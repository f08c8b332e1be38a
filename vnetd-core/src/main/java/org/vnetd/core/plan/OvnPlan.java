package org.vnetd.core.plan;

import java.util.List;

import org.vnetd.core.ovn.OvnNetwork;
import org.vnetd.core.ovn.OvnNetworkMapper;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The start plan of a network bound to OVN ({@code <vnetd:ovn>}), whatever the host's planner: its one
 * {@link Action.OvnSwitch}. Nothing of such a network is in this host's kernel, so there is no bridge,
 * address or route to plan or to collide with; mapping it first refuses what OVN is not given (docs/ovn.md).
 */
public final class OvnPlan {
    private OvnPlan() {
    }

    public static Plan of(NetworkDef def) {
        OvnNetwork ovn = OvnNetworkMapper.map(def);
        return new Plan(def.name(), List.of(new Action.OvnSwitch(def.name(), ovn.switchName(), def.ovn().orElseThrow().getNorthbound())));
    }
}
