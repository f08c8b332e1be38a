package org.vnetd.core.driver;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.vnetd.core.alloc.BridgeNames;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.xml.model.BridgeDef;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * What the driver fills in when a network is defined or created: the uuid, kept from an existing
 * definition of the same name or else a fresh random one, and the bridge name when absent or a
 * {@code %d} template (libvirt's networkSetBridgeName). The parser gives none of these: a uuid absent
 * from the XML is absent from the {@link NetworkDef} until this assigns it. (libvirt's parser makes up a
 * uuid, so libvirt refuses to redefine an existing name from XML without one, "already exists with
 * uuid"; vnetd keeps the existing uuid instead, as docs/rpc.md says.)
 */
final class NetworkIdentity {
    private final KernelObserver kernel;

    NetworkIdentity(KernelObserver kernel) {
        this.kernel = kernel;
    }

    /**
     * Completes {@code def} for the network {@code old} (null when the name is new) among {@code all}.
     * Refuses a uuid that belongs to another network, or differs from the one {@code old} has.
     */
    void assign(NetworkDef def, NetworkEntry old, Collection<NetworkEntry> all) {
        UUID given = def.uuid();
        String name = def.name();
        if (old != null) {
            if (given != null && !given.equals(old.uuid)) {
                throw VnetException.of(ErrorCode.NETWORK_EXISTS, "network '%s' already exists with uuid %s", name, old.uuid);
            }
            def.setUuid(old.uuid.toString());
            NetworkDef prev = old.current();
            if (prev != null && def.forwardMode().hasBridge()) {
                if (def.bridgeName().isEmpty() && prev.bridgeName().isPresent() && def.ovn().isEmpty()) {
                    setBridgeName(def, prev.bridgeName().get());
                }
                if (def.macAddress().isEmpty() && prev.getMac() != null) {
                    def.setMac(prev.getMac());
                }
            }
        } else if (given != null) {
            for (NetworkEntry n : all) {
                if (n.uuid.equals(given)) {
                    throw VnetException.of(ErrorCode.NETWORK_EXISTS, "network '%s' is already defined with uuid %s", n.name, given);
                }
            }
        } else {
            def.setUuid(UUID.randomUUID().toString());
        }
        // a network on OVN has no bridge on this host (its ports join the integration bridge): no name is made up
        // for one, as libvirt makes none for a network without a bridge; a name the definition gives is kept
        if (def.forwardMode().hasBridge() && def.ovn().isEmpty()) {
            String bridge = def.bridgeName().orElse(null);
            if (bridge == null || bridge.contains("%d")) {
                Set<String> used = bridgesOfOthers(name, all);
                // the kernel is asked about candidates only: the first name no definition uses is nearly
                // always free, and one lookup by name costs the same with a thousand links as with none
                setBridgeName(def, BridgeNames.firstFree(bridge, used::contains, kernel::linkExists));
            }
        }
    }

    private static Set<String> bridgesOfOthers(String self, Collection<NetworkEntry> all) {
        Set<String> used = new HashSet<>();
        for (NetworkEntry n : all) {
            if (n.name.equals(self)) {
                continue;
            }
            for (NetworkDef d : new NetworkDef[] {n.persistent, n.live}) {
                if (d != null) {
                    d.bridgeName().ifPresent(used::add);
                }
            }
        }
        return used;
    }

    private static void setBridgeName(NetworkDef def, String bridge) {
        BridgeDef b = def.getBridge();
        if (b == null) {
            b = new BridgeDef();
            // libvirt writes stp='on' delay='0' for a bridge it names itself
            b.setStp("on");
            b.setDelay("0");
            def.setBridge(b);
        }
        b.setName(bridge);
    }
}
