package org.vnetd.core.pool;

import java.util.List;

/**
 * The virtual functions of an SR-IOV physical function, in {@code virtfnN} order (the daemon reads sysfs; tests
 * give lists). A PF that cannot be read is a {@link org.vnetd.core.error.VnetException}.
 */
@FunctionalInterface
public interface VirtualFunctions {
    List<VirtualFunction> of(String pf);
}
