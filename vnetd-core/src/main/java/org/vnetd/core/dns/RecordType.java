package org.vnetd.core.dns;

/**
 * The record types the engine knows by name. Questions carry the numeric code so that unknown
 * types survive to the upstream server untouched (netty's open-enum habit).
 */
public enum RecordType {
    A(1), NS(2), CNAME(5), SOA(6), PTR(12), MX(15), TXT(16), AAAA(28), SRV(33), OPT(41),
    IXFR(251), AXFR(252), ANY(255);

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mnemonic for a code, or {@code TYPE<n>} (RFC 3597) for a code we do not name. */
    public static String nameOf(int code) {
        for (RecordType t : values()) {
            if (t.code == code) {
                return t.name();
            }
        }
        return "TYPE" + code;
    }
}
