package org.vnetd.core.ovsdb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A datum of an OVSDB column (RFC 7047 section 5.1): an atom (string, integer, boolean, real), a
 * reference to a row by uuid or by a named-uuid of the same transaction, a set or a map. Sets and maps
 * keep the order they were built in so that a transaction's JSON is stable (golden files).
 */
public sealed interface OvsdbValue {

    /** A string, integer ({@link Long}), real ({@link Double}) or boolean. */
    record Atom(Object value) implements OvsdbValue {
        public Atom {
            if (!(value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean)) {
                throw new IllegalArgumentException("not an OVSDB atom: " + value);
            }
        }
    }

    /** A row's uuid ({@code ["uuid", …]}) or, when {@code named}, a row inserted by the same transaction ({@code ["named-uuid", …]}). */
    record Ref(String id, boolean named) implements OvsdbValue {
    }

    record SetOf(List<OvsdbValue> elements) implements OvsdbValue {
        public SetOf {
            elements = List.copyOf(elements);
        }
    }

    record MapOf(SequencedMap<OvsdbValue, OvsdbValue> entries) implements OvsdbValue {
        public MapOf {
            entries = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(entries));
        }
    }

    static OvsdbValue of(String s) {
        return new Atom(s);
    }

    static OvsdbValue of(long n) {
        return new Atom(n);
    }

    static OvsdbValue of(boolean b) {
        return new Atom(b);
    }

    static OvsdbValue uuid(String uuid) {
        return new Ref(uuid, false);
    }

    static OvsdbValue named(String name) {
        return new Ref(name, true);
    }

    static OvsdbValue setOf(Collection<? extends OvsdbValue> elements) {
        return new SetOf(new ArrayList<>(elements));
    }

    static OvsdbValue strings(Collection<String> strings) {
        return new SetOf(strings.stream().map(OvsdbValue::of).toList());
    }

    /** The empty set: an optional column without a value. */
    static OvsdbValue empty() {
        return new SetOf(List.of());
    }

    /** A string-to-string map, in the order of {@code entries}. */
    static OvsdbValue stringMap(Map<String, String> entries) {
        SequencedMap<OvsdbValue, OvsdbValue> m = new LinkedHashMap<>();
        entries.forEach((k, v) -> m.put(of(k), of(v)));
        return new MapOf(m);
    }
}
