package org.vnetd.core.pool;

import java.util.Objects;
import java.util.Optional;

/** One SR-IOV virtual function of a PF: its PCI address, and its network interface when a net driver has it. */
public record VirtualFunction(PciAddress address, Optional<String> netdev) {
    public VirtualFunction {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(netdev, "netdev");
    }
}
