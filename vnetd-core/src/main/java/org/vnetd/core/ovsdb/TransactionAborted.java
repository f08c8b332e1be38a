package org.vnetd.core.ovsdb;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A {@code transact} the database aborted: nothing of it was applied. {@code opIndex} is the failed
 * operation (0-based; the operation count for a commit-time failure) and {@code error} the database's
 * error string ({@code "timed out"} for a {@code wait} whose condition did not hold), so a caller can
 * tell a guard that did not hold (and take the other path) from a real failure.
 */
public final class TransactionAborted extends VnetException {
    private static final long serialVersionUID = 1L;

    private final int opIndex;
    private final String error;

    public TransactionAborted(String message, int opIndex, String error) {
        super(ErrorCode.OVN, message);
        this.opIndex = opIndex;
        this.error = error;
    }

    public int opIndex() {
        return opIndex;
    }

    public String error() {
        return error;
    }

    /** True when the operation at {@code index} was a {@code wait} whose condition did not hold. */
    public boolean guardFailed(int index) {
        return opIndex == index && "timed out".equals(error);
    }
}
