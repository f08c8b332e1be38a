package org.vnetd.core.ovsdb;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OVSDB's JSON (RFC 7047): values, operations and transactions to jackson trees, values back from them,
 * and a {@code transact} result checked as a whole.
 */
public final class OvsdbJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private OvsdbJson() {
    }

    public static JsonNode encode(OvsdbValue value) {
        return switch (value) {
            case OvsdbValue.Atom a -> switch (a.value()) {
                case String s -> JSON.textNode(s);
                case Long n -> JSON.numberNode(n);
                case Double d -> JSON.numberNode(d);
                case Boolean b -> JSON.booleanNode(b);
                default -> throw new IllegalStateException("not an atom: " + a.value());
            };
            case OvsdbValue.Ref r -> JSON.arrayNode().add(r.named() ? "named-uuid" : "uuid").add(r.id());
            case OvsdbValue.SetOf s -> {
                ArrayNode elements = JSON.arrayNode();
                s.elements().forEach(e -> elements.add(encode(e)));
                yield JSON.arrayNode().add("set").add(elements);
            }
            case OvsdbValue.MapOf m -> {
                ArrayNode pairs = JSON.arrayNode();
                m.entries().forEach((k, v) -> pairs.add(JSON.arrayNode().add(encode(k)).add(encode(v))));
                yield JSON.arrayNode().add("map").add(pairs);
            }
        };
    }

    /** A column's value as the server writes it; a one-element set comes back as its atom (RFC 7047 section 5.1). */
    public static OvsdbValue decode(JsonNode node) {
        if (node.isTextual()) {
            return OvsdbValue.of(node.textValue());
        }
        if (node.isBoolean()) {
            return OvsdbValue.of(node.booleanValue());
        }
        if (node.isIntegralNumber()) {
            return OvsdbValue.of(node.longValue());
        }
        if (node.isNumber()) {
            return new OvsdbValue.Atom(node.doubleValue());
        }
        if (node.isArray() && node.size() == 2 && node.get(0).isTextual()) {
            String tag = node.get(0).textValue();
            JsonNode body = node.get(1);
            switch (tag) {
                case "uuid", "named-uuid" -> {
                    return new OvsdbValue.Ref(body.asText(), tag.equals("named-uuid"));
                }
                case "set" -> {
                    List<OvsdbValue> elements = new ArrayList<>();
                    body.forEach(e -> elements.add(decode(e)));
                    return new OvsdbValue.SetOf(elements);
                }
                case "map" -> {
                    SequencedMap<OvsdbValue, OvsdbValue> entries = new LinkedHashMap<>();
                    body.forEach(pair -> entries.put(decode(pair.get(0)), decode(pair.get(1))));
                    return new OvsdbValue.MapOf(entries);
                }
                default -> {
                }
            }
        }
        throw new VnetException(ErrorCode.OVN, "not an OVSDB value: " + node);
    }

    public static ObjectNode encode(OvsdbOp op) {
        ObjectNode o = JSON.objectNode();
        switch (op) {
            case OvsdbOp.Insert i -> {
                o.put("op", "insert").put("table", i.table());
                o.set("row", row(i.row()));
                i.uuidName().ifPresent(n -> o.put("uuid-name", n));
            }
            case OvsdbOp.Update u -> {
                o.put("op", "update").put("table", u.table());
                o.set("where", where(u.where()));
                o.set("row", row(u.row()));
            }
            case OvsdbOp.Mutate m -> {
                o.put("op", "mutate").put("table", m.table());
                o.set("where", where(m.where()));
                ArrayNode mutations = o.putArray("mutations");
                m.mutations().forEach(x -> mutations.add(JSON.arrayNode().add(x.column()).add(x.mutator()).add(encode(x.value()))));
            }
            case OvsdbOp.Delete d -> {
                o.put("op", "delete").put("table", d.table());
                o.set("where", where(d.where()));
            }
            case OvsdbOp.Select s -> {
                o.put("op", "select").put("table", s.table());
                o.set("where", where(s.where()));
                if (!s.columns().isEmpty()) {
                    ArrayNode columns = o.putArray("columns");
                    s.columns().forEach(columns::add);
                }
            }
            case OvsdbOp.Wait w -> {
                o.put("op", "wait").put("table", w.table()).put("timeout", w.timeoutMs());
                o.set("where", where(w.where()));
                ArrayNode columns = o.putArray("columns");
                w.columns().forEach(columns::add);
                o.put("until", w.equal() ? "==" : "!=");
                ArrayNode rows = o.putArray("rows");
                w.rows().forEach(r -> rows.add(row(r)));
            }
        }
        return o;
    }

    /** The params of {@code transact}: {@code [database, op...]}. */
    public static ArrayNode params(OvsdbTransaction transaction) {
        ArrayNode params = JSON.arrayNode().add(transaction.database());
        transaction.ops().forEach(op -> params.add(encode(op)));
        return params;
    }

    /**
     * Checks a {@code transact} result: one result per operation, and an error in any (or in the extra
     * result past the last operation, for a commit-time failure such as a constraint) means nothing was
     * applied. Returns the per-operation results.
     */
    public static List<JsonNode> checkResult(OvsdbTransaction transaction, JsonNode result) {
        if (result == null || !result.isArray()) {
            throw new VnetException(ErrorCode.OVN, "OVSDB transact on " + transaction.database() + " returned no result array: " + result);
        }
        List<JsonNode> results = new ArrayList<>();
        Iterator<JsonNode> it = result.elements();
        for (int i = 0; it.hasNext(); i++) {
            JsonNode r = it.next();
            if (r != null && r.has("error")) {
                String where = i < transaction.ops().size()
                        ? "operation " + (i + 1) + " (" + opName(transaction.ops().get(i)) + " on " + transaction.ops().get(i).table() + ")"
                        : "the commit";
                String details = r.path("details").asText("");
                throw new TransactionAborted("OVSDB transaction on " + transaction.database() + " aborted, nothing applied: "
                        + where + " failed: " + r.get("error").asText() + (details.isEmpty() ? "" : " (" + details + ")"), i, r.get("error").asText());
            }
            results.add(r);
        }
        if (results.size() < transaction.ops().size()) {
            throw new VnetException(ErrorCode.OVN, "OVSDB transact on " + transaction.database() + " returned " + results.size()
                    + " results for " + transaction.ops().size() + " operations");
        }
        return results.subList(0, transaction.ops().size());
    }

    /** The rows of a {@code select} result, each column decoded. */
    public static List<Map<String, OvsdbValue>> rows(JsonNode selectResult) {
        List<Map<String, OvsdbValue>> rows = new ArrayList<>();
        selectResult.path("rows").forEach(r -> {
            Map<String, OvsdbValue> row = new LinkedHashMap<>();
            r.properties().forEach(e -> row.put(e.getKey(), decode(e.getValue())));
            rows.add(row);
        });
        return rows;
    }

    /** The uuid an {@code insert} result names. */
    public static String insertedUuid(JsonNode insertResult) {
        return insertResult.path("uuid").path(1).asText();
    }

    public static String opName(OvsdbOp op) {
        return switch (op) {
            case OvsdbOp.Insert i -> "insert";
            case OvsdbOp.Update u -> "update";
            case OvsdbOp.Mutate m -> "mutate";
            case OvsdbOp.Delete d -> "delete";
            case OvsdbOp.Select s -> "select";
            case OvsdbOp.Wait w -> "wait";
        };
    }

    private static ObjectNode row(Map<String, OvsdbValue> row) {
        ObjectNode o = JSON.objectNode();
        row.forEach((k, v) -> o.set(k, encode(v)));
        return o;
    }

    private static ArrayNode where(List<Condition> where) {
        ArrayNode a = JSON.arrayNode();
        where.forEach(c -> a.add(JSON.arrayNode().add(c.column()).add(c.function()).add(encode(c.value()))));
        return a;
    }
}
