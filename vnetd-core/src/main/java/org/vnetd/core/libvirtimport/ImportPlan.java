package org.vnetd.core.libvirtimport;

import java.util.List;

/** Every libvirt network and what importing it does, checked as a whole before anything is done. */
public record ImportPlan(boolean takeover, List<NetworkImport> networks) {
    public ImportPlan {
        networks = List.copyOf(networks);
    }
}
