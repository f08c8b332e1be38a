package org.vnetd.daemon.dhcp;

import java.util.Collection;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.dhcp.LeaseStore;

/**
 * What the {@link GroupCommitter} syncs before it lets answers go: DHCPv4's {@link LeaseStore} (through
 * {@link #of}) and DHCPv6's lease store. {@code L} is the lease a held answer acknowledges.
 */
public interface CommitLog<L> {
    /**
     * Makes every change appended so far durable. When it fails, the answers for {@code acknowledged}
     * are withheld, so those bindings must never become durable later; the rest stays queued.
     */
    void sync(Collection<L> acknowledged);

    /** The answers for {@code acknowledged} have left (after the sync that covered them). */
    default void replied(Collection<L> acknowledged) {
    }

    /** Housekeeping no answer waits for (preallocation, compaction), run after a batch has left. */
    void prepareAhead();

    static CommitLog<DhcpLease> of(LeaseStore store) {
        return new CommitLog<>() {
            @Override
            public void sync(Collection<DhcpLease> acknowledged) {
                store.sync(acknowledged);
            }

            @Override
            public void replied(Collection<DhcpLease> acknowledged) {
                store.replied(acknowledged);
            }

            @Override
            public void prepareAhead() {
                store.prepareAhead();
            }
        };
    }
}
