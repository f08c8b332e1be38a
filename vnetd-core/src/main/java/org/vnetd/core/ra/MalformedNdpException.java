package org.vnetd.core.ra;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A datagram that is not a well-formed router discovery message; the message says what is wrong and where. */
public final class MalformedNdpException extends VnetException {
    private static final long serialVersionUID = 1L;

    public MalformedNdpException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }
}
