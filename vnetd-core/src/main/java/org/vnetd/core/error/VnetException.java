package org.vnetd.core.error;

/**
 * The one error type of vnetd. It carries a stable {@link ErrorCode} and a message written for the
 * user (it names what is wrong and where). {@link #wrap} adds context while keeping the code.
 */
public class VnetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public VnetException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public VnetException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Returns a new exception with the same code whose message is {@code context: message}. */
    public VnetException wrap(String context) {
        return new VnetException(code, context + ": " + getMessage(), this);
    }

    public static VnetException of(ErrorCode code, String format, Object... args) {
        return new VnetException(code, String.format(format, args));
    }
}
