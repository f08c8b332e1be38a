package org.vnetd.core.ovsdb;

import java.util.List;

/** The operations of one {@code transact} on {@code database} (e.g. {@code OVN_Northbound}), applied whole or not at all. */
public record OvsdbTransaction(String database, List<OvsdbOp> ops) {
    public OvsdbTransaction {
        ops = List.copyOf(ops);
    }
}
