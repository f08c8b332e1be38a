package org.vnetd.core.dhcp;

/**
 * Told of every lease change, synchronously, before {@link DhcpServer#handle} returns the decision
 * that caused it. The daemon's listener appends to the lease log; an ACK leaves only once that is durable.
 */
@FunctionalInterface
public interface LeaseListener {
    void onLeaseChange(LeaseChange change);

    LeaseListener NONE = change -> {
    };
}
