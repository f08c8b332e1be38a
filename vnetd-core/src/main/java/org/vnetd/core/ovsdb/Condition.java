package org.vnetd.core.ovsdb;

/** One clause of a {@code where} (RFC 7047 section 5.1): {@code [column, function, value]}. */
public record Condition(String column, String function, OvsdbValue value) {

    public static Condition eq(String column, OvsdbValue value) {
        return new Condition(column, "==", value);
    }

    public static Condition uuidIs(String uuid) {
        return eq("_uuid", OvsdbValue.uuid(uuid));
    }

    /** A map or set column that holds at least {@code value}, e.g. one external_ids key. */
    public static Condition includes(String column, OvsdbValue value) {
        return new Condition(column, "includes", value);
    }
}
