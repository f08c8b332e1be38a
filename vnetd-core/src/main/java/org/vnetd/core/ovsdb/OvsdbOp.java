package org.vnetd.core.ovsdb;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One operation of an OVSDB {@code transact} (RFC 7047 section 5.2). A transaction's operations
 * apply whole or not at all; a {@link Wait} that times out aborts all of them.
 */
public sealed interface OvsdbOp {
    String table();

    /** Inserts a row; {@code uuidName} lets later operations of the transaction refer to it as a named-uuid. */
    record Insert(String table, Map<String, OvsdbValue> row, Optional<String> uuidName) implements OvsdbOp {
        public Insert {
            row = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row));
        }
    }

    record Update(String table, List<Condition> where, Map<String, OvsdbValue> row) implements OvsdbOp {
        public Update {
            where = List.copyOf(where);
            row = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(row));
        }
    }

    record Mutate(String table, List<Condition> where, List<Mutation> mutations) implements OvsdbOp {
        public Mutate {
            where = List.copyOf(where);
            mutations = List.copyOf(mutations);
        }
    }

    record Delete(String table, List<Condition> where) implements OvsdbOp {
        public Delete {
            where = List.copyOf(where);
        }
    }

    /** Reads the rows matching {@code where}; an empty {@code columns} reads every column. */
    record Select(String table, List<Condition> where, List<String> columns) implements OvsdbOp {
        public Select {
            where = List.copyOf(where);
            columns = List.copyOf(columns);
        }
    }

    /**
     * Holds the transaction until the rows matching {@code where}, in {@code columns}, are ({@code equal}
     * true) or are not {@code rows}, for at most {@code timeoutMs} (0: check once, abort if not).
     */
    record Wait(String table, List<Condition> where, List<String> columns, boolean equal,
            List<Map<String, OvsdbValue>> rows, long timeoutMs) implements OvsdbOp {
        public Wait {
            where = List.copyOf(where);
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    static Insert insert(String table, Map<String, OvsdbValue> row, String uuidName) {
        return new Insert(table, row, Optional.of(uuidName));
    }

    static Insert insert(String table, Map<String, OvsdbValue> row) {
        return new Insert(table, row, Optional.empty());
    }
}
