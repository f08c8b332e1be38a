package org.vnetd.daemon.libvirt.xdr;

/**
 * Bytes that are not the XDR the procedure expects: too short, a length past its maximum, a bad
 * boolean or discriminant. The message says what and where, so the error reply can name it.
 */
public final class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message);
    }
}
