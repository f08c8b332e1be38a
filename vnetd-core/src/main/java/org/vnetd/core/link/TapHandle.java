package org.vnetd.core.link;

import java.util.List;

/**
 * Open file descriptors of a non-persistent tap: the device lives as long as one of them is open.
 * The daemon passes them to a VM launcher (SCM_RIGHTS), then closes its own copies with {@link #close()}.
 */
public interface TapHandle extends AutoCloseable {
    /** The device's name as the kernel assigned it (a {@code vnet%d} template is resolved). */
    String name();

    /** One descriptor per queue; a single-queue tap has exactly one. Invalid after {@link #close()}. */
    List<Integer> fds();

    /** Closes our descriptors; closing an already closed handle does nothing. */
    @Override
    void close();
}
