package org.vnetd.core.qos;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.KernelException;

/**
 * The kernel refused a traffic-control object because it was built without what the object needs (tc's
 * "Specified qdisc kind is unknown", "TC classifier not found", "Failed to load TC action module"). The
 * setting that needs it cannot be honoured on this kernel, so the operation that asked for it fails.
 */
public final class KernelFeatureMissing extends VnetException {
    private static final long serialVersionUID = 1L;

    private final KernelFeature feature;

    public KernelFeatureMissing(KernelFeature feature, String device, String purpose, KernelException cause) {
        super(ErrorCode.OPERATION_UNSUPPORTED, "Operation not supported: " + purpose + " on '" + device + "' needs " + feature.what()
                + " (" + feature.config() + "), which this kernel does not have (" + cause.getMessage() + ")", cause);
        this.feature = feature;
    }

    public KernelFeature feature() {
        return feature;
    }
}
