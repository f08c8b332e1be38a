package org.vnetd.core.dhcp;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A datagram that is not a well-formed DHCP message; the message says what is wrong and at which offset. */
public final class MalformedDhcpException extends VnetException {
    private static final long serialVersionUID = 1L;

    public MalformedDhcpException(String message) {
        super(ErrorCode.DHCP, message);
    }
}
