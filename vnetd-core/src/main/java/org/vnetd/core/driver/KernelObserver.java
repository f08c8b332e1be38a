package org.vnetd.core.driver;

import org.vnetd.core.plan.KernelView;

/** Reads the kernel's current links and routes (netlink in the daemon, a fake in unit tests). */
@FunctionalInterface
public interface KernelObserver {
    KernelView observe();

    /**
     * The routes, and of the links only those named (a start's conflict check needs its bridge and
     * forward device, not every link: asking by name keeps a start as fast with many networks as with few).
     */
    default KernelView observe(java.util.Collection<String> linkNames) {
        return observe();
    }

    /** Whether a link of that name exists; cheaper than {@link #observe()} where the kernel can be asked by name. */
    default boolean linkExists(String name) {
        return observe().hasLink(name);
    }
}
