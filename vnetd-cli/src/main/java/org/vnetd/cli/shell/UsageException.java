package org.vnetd.cli.shell;

/** A command line virsh would refuse before running anything; the message is virsh's, without "error: ". */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
