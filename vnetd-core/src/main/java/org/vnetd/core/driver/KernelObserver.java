package org.vnetd.core.driver;

import java.util.List;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.pool.VirtualFunction;

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

    /**
     * The SR-IOV virtual functions of PF {@code pf}, for a network whose device pool is {@code <pf dev>}; this
     * observer reads none (the daemon's reads sysfs).
     */
    default List<VirtualFunction> virtualFunctions(String pf) {
        throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED, "Operation not supported: cannot read the virtual functions of PF '%s'", pf);
    }

    /** Whether a link of that name exists; cheaper than {@link #observe()} where the kernel can be asked by name. */
    default boolean linkExists(String name) {
        return observe().hasLink(name);
    }
}
