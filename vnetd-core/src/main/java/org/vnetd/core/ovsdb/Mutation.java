package org.vnetd.core.ovsdb;

/** One mutation of a {@code mutate} operation (RFC 7047 section 5.2.4): {@code [column, mutator, value]}. */
public record Mutation(String column, String mutator, OvsdbValue value) {

    public static Mutation insert(String column, OvsdbValue value) {
        return new Mutation(column, "insert", value);
    }

    public static Mutation delete(String column, OvsdbValue value) {
        return new Mutation(column, "delete", value);
    }
}
