package org.vnetd.client;

import java.nio.file.Path;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The daemon's socket could not be reached or hung up. The message names the socket and the system's
 * reason (no such file, permission denied, connection refused) so the user knows what to fix.
 */
public final class DaemonUnreachableException extends VnetException {
    private static final long serialVersionUID = 1L;

    private final transient Path socket;
    private final String reason;

    public DaemonUnreachableException(Path socket, String reason, Throwable cause) {
        super(ErrorCode.RPC_PROTOCOL, "Failed to connect socket to '" + socket + "': " + reason, cause);
        this.socket = socket;
        this.reason = reason;
    }

    public Path socket() {
        return socket;
    }

    public String reason() {
        return reason;
    }
}
