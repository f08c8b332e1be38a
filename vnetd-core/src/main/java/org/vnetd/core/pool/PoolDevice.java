package org.vnetd.core.pool;

import java.util.Objects;
import java.util.Optional;

import org.vnetd.core.port.Plug;

/** One device of a network's forward pool: a host interface (macvtap modes) or a PCI virtual function (hostdev). */
public sealed interface PoolDevice {
    /** A host network interface a port's macvtap goes on ({@code <interface dev>}). */
    record NetDev(String name) implements PoolDevice {
        public NetDev {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A PCI device handed to the guest ({@code <address type='pci'>}, or a VF of {@code <pf>}). */
    record Pci(PciAddress address) implements PoolDevice {
        public Pci {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return address.toString();
        }
    }

    /** The device a port's plug holds, if it holds one of a pool. */
    static Optional<PoolDevice> of(Plug plug) {
        return switch (plug) {
            case Plug.Direct d -> Optional.of(new NetDev(d.dev()));
            case Plug.HostdevPci h -> Optional.of(new Pci(PciAddress.ofAttributes(h.domain(), h.bus(), h.slot(), h.function())));
            default -> Optional.empty();
        };
    }
}
