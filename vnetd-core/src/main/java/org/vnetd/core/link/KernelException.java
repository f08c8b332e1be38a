package org.vnetd.core.link;

import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A kernel call refused an operation. Carries what a user needs to act on it: the errno (number and
 * symbolic name, e.g. 17 / {@code EEXIST}), the kernel's own explanation from the netlink extended
 * ACK when it gave one ("Attribute failed policy validation"), the interface concerned and the
 * operation we attempted. The message reads {@code <operation> '<ifname>' failed: EEXIST (File exists);
 * kernel: <extack text>} (the name is left out when the operation text already quotes it).
 */
public final class KernelException extends VnetException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String errnoName;
    private final String kernelMessage;
    private final String interfaceName;

    public KernelException(String operation, String interfaceName, int errno, String errnoName, String errnoText,
            String kernelMessage) {
        this(operation, interfaceName, errno, errnoName, kernelMessage,
                format(operation, interfaceName, errnoName, errnoText, kernelMessage), null);
    }

    private KernelException(String operation, String interfaceName, int errno, String errnoName, String kernelMessage,
            String message, Throwable cause) {
        super(ErrorCode.KERNEL, message, cause);
        this.operation = operation;
        this.errno = errno;
        this.errnoName = errnoName;
        this.kernelMessage = kernelMessage == null || kernelMessage.isBlank() ? null : kernelMessage;
        this.interfaceName = interfaceName;
    }

    private static String format(String operation, String ifname, String errnoName, String errnoText, String kernelMessage) {
        StringBuilder sb = new StringBuilder(operation);
        if (ifname != null && !operation.contains("'" + ifname + "'")) {
            sb.append(" '").append(ifname).append('\'');
        }
        sb.append(" failed: ").append(errnoName);
        if (errnoText != null && !errnoText.isBlank()) {
            sb.append(" (").append(errnoText).append(')');
        }
        if (kernelMessage != null && !kernelMessage.isBlank()) {
            sb.append("; kernel: ").append(kernelMessage);
        }
        return sb.toString();
    }

    /**
     * The same failure with a note about the state it left behind, e.g. "port 'vnet0' is now detached"
     * (the kernel does not undo half of an IFLA_MASTER change; the caller must know).
     */
    public KernelException withNote(String note) {
        return new KernelException(operation, interfaceName, errno, errnoName, kernelMessage,
                getMessage() + "; " + note, this);
    }

    /** What we attempted, e.g. {@code "create bridge"}. */
    public String operation() {
        return operation;
    }

    /** The positive errno value (17 for EEXIST). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code EEXIST}; {@code E<number>} for an errno we have no name for. */
    public String errnoName() {
        return errnoName;
    }

    /** The kernel's extended-ACK text, when it sent one. */
    public Optional<String> kernelMessage() {
        return Optional.ofNullable(kernelMessage);
    }

    /** The interface the operation concerned, when there is one. */
    public Optional<String> interfaceName() {
        return Optional.ofNullable(interfaceName);
    }
}
