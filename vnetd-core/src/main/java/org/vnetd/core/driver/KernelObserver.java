package org.vnetd.core.driver;

/** Reads the kernel's current links and routes (netlink in the daemon, a fake in unit tests). */
@FunctionalInterface
public interface KernelObserver {
    KernelView observe();
}
