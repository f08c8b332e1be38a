package org.vnetd.core.port;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.vnetd.core.net.MacAddress;

/**
 * libvirt's network port ({@code <networkport>}, virNetworkPortDef): the connection between one guest
 * interface and a network. Optional parts are {@link Optional}s; {@code isolated} and
 * {@code trustGuestRxFilters} are libvirt tristates (empty = not said).
 */
public record PortDef(UUID uuid, String ownerName, UUID ownerUuid, Optional<String> group, MacAddress mac,
        Optional<VirtualPort> virtualPort, Optional<Bandwidth> bandwidth, Optional<Vlan> vlan,
        Optional<Boolean> isolated, Optional<Boolean> trustGuestRxFilters, Plug plug) {
    public PortDef {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(ownerName, "ownerName");
        Objects.requireNonNull(ownerUuid, "ownerUuid");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(virtualPort, "virtualPort");
        Objects.requireNonNull(bandwidth, "bandwidth");
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(isolated, "isolated");
        Objects.requireNonNull(trustGuestRxFilters, "trustGuestRxFilters");
        Objects.requireNonNull(plug, "plug");
    }

    /** The bridge the port is plugged into, for network and bridge plugs. */
    public Optional<String> bridge() {
        return switch (plug) {
            case Plug.Network n -> Optional.of(n.bridge());
            case Plug.Bridge b -> Optional.of(b.bridge());
            default -> Optional.empty();
        };
    }
}
