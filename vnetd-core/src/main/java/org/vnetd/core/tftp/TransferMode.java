package org.vnetd.core.tftp;

import java.util.Locale;
import java.util.Optional;

/**
 * RFC 1350 transfer modes this server serves. "mail" (obsolete already in RFC 1350, and meaningless
 * for a read-only server) is refused like dnsmasq and tftp-hpa do. Netascii is served as dnsmasq
 * serves it: the file's bytes with line ends converted on the fly (see {@link NetasciiEncoder}).
 */
public enum TransferMode {
    OCTET("octet"),
    NETASCII("netascii");

    private final String wireName;

    TransferMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The mode for a request's mode field (case-insensitive, RFC 1350), or empty if unsupported. */
    public static Optional<TransferMode> of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (TransferMode m : values()) {
            if (m.wireName.equals(n)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
