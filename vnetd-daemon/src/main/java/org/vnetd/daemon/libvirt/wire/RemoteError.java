package org.vnetd.daemon.libvirt.wire;

import java.util.Optional;

import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/**
 * libvirt's {@code remote_error}: what an error reply carries. Clients print {@code message}; the
 * code and domain are libvirt's {@code virErrorNumber} and {@code virErrorDomain}.
 */
public record RemoteError(int code, int domain, String message) {
    /** VIR_ERR_ERROR. */
    public static final int LEVEL_ERROR = 2;
    /** REMOTE_STRING_MAX. */
    public static final int STRING_MAX = 4_194_304;

    public void write(XdrWriter w) {
        w.writeInt(code).writeInt(domain);
        w.writeOptional(Optional.of(truncated(message)), (x, s) -> x.writeString(s, STRING_MAX));
        w.writeInt(LEVEL_ERROR);
        w.writeBool(false); // dom
        w.writeBool(false); // str1
        w.writeBool(false); // str2
        w.writeBool(false); // str3
        w.writeInt(0).writeInt(0); // int1, int2
        w.writeBool(false); // net
    }

    private static String truncated(String s) {
        // a message is for humans: a 4 MiB one is already a bug, it must not also fail the reply
        return s.length() > 4096 ? s.substring(0, 4096) + "…" : s;
    }
}
