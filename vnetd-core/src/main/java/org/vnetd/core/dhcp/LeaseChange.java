package org.vnetd.core.dhcp;

/** One change of the lease table, in the order it happened; {@code lease} is the state after (BOUND) or before. */
public record LeaseChange(Kind kind, DhcpLease lease) {
    public enum Kind {
        /** A new lease, or an existing one renewed/extended: upsert. */
        BOUND,
        /** The client released it. */
        RELEASED,
        /** The client declined the address; it is quarantined. */
        DECLINED,
        /** It expired and was reaped, or was displaced by a static reservation. */
        EXPIRED
    }

    public boolean removes() {
        return kind != Kind.BOUND;
    }
}
