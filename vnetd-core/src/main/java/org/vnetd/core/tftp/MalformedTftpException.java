package org.vnetd.core.tftp;

/**
 * A datagram that is not a valid TFTP packet. {@link #request()} tells whether it claimed to be a
 * request (RRQ/WRQ): such a sender is told why (ERROR 4), anything else is dropped silently so a
 * stray or forged datagram never makes the server talk.
 */
public final class MalformedTftpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean request;

    public MalformedTftpException(String message, boolean request) {
        super(message);
        this.request = request;
    }

    public boolean request() {
        return request;
    }
}
