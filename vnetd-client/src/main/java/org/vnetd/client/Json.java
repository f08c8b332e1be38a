package org.vnetd.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * JSON for the CLI's wire and --json output with jackson-core's streaming parser and generator only.
 * Parsed values are plain Java: Map (insertion-ordered), List, String, Long/Double, Boolean, null;
 * {@link #read} turns them into the RPC's records of {@code org.vnetd.core.rpc} (the daemon writes the same
 * records with jackson-databind) through {@link WireRecords}; records are written component by component, in
 * declaration order (the RPC's by {@link WireRecords}, others, such as doctor's findings, by reflection).
 * jackson-databind is left out of vnetctl's common paths on purpose: its set-up costs more CPU than the rest
 * of a command, and a command-line tool pays start-up on every call.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    public static Object parse(byte[] text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("empty JSON document");
            }
            return value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    l.add(value(p, v));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected JSON token " + t);
        }
    }

    public static byte[] write(Object value) {
        return bytes(value, false);
    }

    /** Indented like jackson's default pretty printer. */
    public static String pretty(Object value) {
        return new String(bytes(value, true), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object value, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    write(g, o);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Number n -> g.writeNumber(n.doubleValue());
            case Enum<?> e -> g.writeString(e.name());
            case Record r when WireRecords.knows(r.getClass()) -> write(g, WireRecords.write(r));
            case Record r -> {
                g.writeStartObject();
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    g.writeFieldName(c.getName());
                    write(g, component(r, c));
                }
                g.writeEndObject();
            }
            default -> g.writeString(v.toString());
        }
    }

    private static Object component(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
        }
    }

    /**
     * A parsed JSON object as one of the RPC's result records ({@link WireRecords}): a missing component is null,
     * false or 0, a missing list empty; a value of another JSON type than its component's is an
     * {@link IllegalArgumentException} naming it.
     */
    public static <T> T read(Object json, Class<T> type) {
        return WireRecords.read(json, type);
    }

    /** A parsed JSON array as a list of {@code type}. */
    public static <T> List<T> readList(Object json, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : array(json, "result")) {
            out.add(read(o, type));
        }
        return out;
    }

    // typed reads from a parsed object; a missing or mistyped field is the daemon breaking docs/rpc.md

    public static Map<String, Object> object(Object o, String what) {
        if (o instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            return typed;
        }
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    public static List<Object> array(Object o, String what) {
        if (o instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> typed = (List<Object>) l;
            return typed;
        }
        throw new IllegalArgumentException(what + " is not a JSON array");
    }

    public static String string(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : v.toString();
    }

    public static boolean bool(Map<String, Object> m, String field) {
        return Boolean.TRUE.equals(m.get(field));
    }

    public static long number(Map<String, Object> m, String field, long fallback) {
        return m.get(field) instanceof Number n ? n.longValue() : fallback;
    }

    public static Integer optionalInt(Map<String, Object> m, String field) {
        return m.get(field) instanceof Number n ? n.intValue() : null;
    }
}
