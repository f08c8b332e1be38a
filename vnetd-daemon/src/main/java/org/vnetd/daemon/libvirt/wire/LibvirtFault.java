package org.vnetd.daemon.libvirt.wire;

/** A failure that is already a libvirt error (protocol state, flags, read-only denial), sent as it is. */
public final class LibvirtFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RemoteError error;

    public LibvirtFault(int code, int domain, String message) {
        super(message);
        this.error = new RemoteError(code, domain, message);
    }

    public RemoteError error() {
        return error;
    }

    /** libvirt's virCheckFlags: bits outside {@code allowed} are refused, naming the function. */
    public static void checkFlags(long flags, long allowed, String function) {
        if ((flags & ~allowed) != 0) {
            throw new LibvirtFault(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK, String.format(
                    "invalid argument: unsupported flags (0x%x) in function %s", flags & ~allowed, function));
        }
    }
}
