package org.vnetd.core.dns;

/** A record of class IN that the engine answers itself. */
public record ResourceRecord(DnsName name, long ttl, Rdata rdata) {
    public static final int CLASS_IN = 1;

    public ResourceRecord {
        if (ttl < 0 || ttl > 0x7FFFFFFFL) {
            throw new IllegalArgumentException("TTL out of range: " + ttl);
        }
    }

    public int type() {
        return rdata.type();
    }

    /** Bytes this record takes on the wire with an uncompressed owner name. */
    public int wireLength() {
        return name.wireLength() + 10 + rdata.encode().length;
    }
}
