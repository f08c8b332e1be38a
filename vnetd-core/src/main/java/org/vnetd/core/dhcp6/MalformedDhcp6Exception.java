package org.vnetd.core.dhcp6;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** A datagram that is not a well-formed DHCPv6 message; the message says what is wrong and at which offset. */
public final class MalformedDhcp6Exception extends VnetException {
    private static final long serialVersionUID = 1L;

    public MalformedDhcp6Exception(String message) {
        super(ErrorCode.DHCP, message);
    }
}
