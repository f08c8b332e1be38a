package org.vnetd.daemon.dhcp6;

import java.util.Objects;

import org.vnetd.core.dhcp6.Dhcp6Lease;

/** A change of a DHCPv6 binding, in order: created or extended ({@code removes} false), or ended. */
public record Dhcp6LeaseChange(boolean removes, Dhcp6Lease lease) {
    public Dhcp6LeaseChange {
        Objects.requireNonNull(lease, "lease");
    }
}
