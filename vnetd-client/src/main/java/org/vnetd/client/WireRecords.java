package org.vnetd.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.vnetd.core.firewall.FirewallFinding;
import org.vnetd.core.rpc.DiagnoseResult;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.MetadataResult;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.rpc.ServiceStats;
import org.vnetd.core.rpc.UpdateResult;
import org.vnetd.core.rpc.VersionResult;
import org.vnetd.core.rpc.XmlResult;

/**
 * The RPC's result records of {@code org.vnetd.core.rpc}, read from parsed JSON and turned into ordered maps by
 * hand, one reader and one writer per record. Reflection would do it with no code per record, but a client
 * pays for its first reflective constructor and accessor calls (method handles spun at run time) on every
 * start-up; bench/cli/README.md has the figures. {@code WireRecordsTest} holds each reader and writer to its
 * record's components, so a component added to a record and not here fails the build.
 */
final class WireRecords {
    private static final Map<Class<?>, Function<Fields, ?>> READERS = Map.ofEntries(
            Map.entry(NetworkSummary.class, f -> new NetworkSummary(f.string("name"), f.string("uuid"), f.bool("active"),
                    f.bool("persistent"), f.bool("autostart"), f.string("bridge"), f.string("title"),
                    f.string("degraded"))),
            Map.entry(Lease.class, f -> new Lease(f.number("expiryTime"), f.string("mac"), f.string("protocol"),
                    f.string("ipAddress"), f.integer("prefix"), f.string("hostname"), f.string("clientId"), f.string("iaid"))),
            Map.entry(Port.class, f -> new Port(f.string("uuid"), f.string("network"), f.string("tap"), f.string("tapMac"),
                    f.string("mac"), f.string("bridge"), f.optionalInt("ownerUid"), f.optionalInt("ownerGid"),
                    f.string("portgroup"), f.string("ip"), f.bool("isolated"), f.optionalInt("mtu"),
                    f.integer("queues"), f.bool("passFd"), f.string("state"), f.strings("notes"),
                    f.string("fdToken"))),
            Map.entry(NetworkEvent.class, f -> new NetworkEvent(f.string("network"), f.string("uuid"), f.string("event"),
                    f.string("detail"), f.number("timestamp"), f.string("uri"))),
            Map.entry(UpdateResult.class, f -> new UpdateResult(f.bool("live"), f.bool("config"))),
            Map.entry(VersionResult.class, f -> new VersionResult(f.string("version"))),
            Map.entry(XmlResult.class, f -> new XmlResult(f.string("xml"))),
            Map.entry(MetadataResult.class, f -> new MetadataResult(f.string("value"))),
            Map.entry(DiagnoseResult.class, f -> new DiagnoseResult(f.list("findings", WireRecords::findingOrNull))),
            Map.entry(FirewallFinding.class, WireRecords::finding),
            Map.entry(ImportResult.class, f -> new ImportResult(f.bool("dryRun"), f.list("networks", WireRecords::importedNetwork))),
            Map.entry(ImportResult.Network.class, WireRecords::importedNetwork),
            Map.entry(ServiceStats.class, f -> new ServiceStats(f.string("network"), f.object("dhcp", WireRecords::dhcpStats),
                    f.object("dhcp6", WireRecords::dhcp6Stats), f.object("ra", WireRecords::raStats))),
            Map.entry(ServiceStats.Dhcp.class, WireRecords::dhcpStats),
            Map.entry(ServiceStats.Dhcp6.class, WireRecords::dhcp6Stats),
            Map.entry(ServiceStats.RouterAdvertisements.class, WireRecords::raStats));

    private static final Map<Class<?>, Function<Record, Map<String, Object>>> WRITERS = Map.ofEntries(
            Map.entry(NetworkSummary.class, r -> {
                NetworkSummary n = (NetworkSummary) r;
                return fields("name", n.name(), "uuid", n.uuid(), "active", n.active(), "persistent", n.persistent(),
                        "autostart", n.autostart(), "bridge", n.bridge(), "title", n.title(), "degraded", n.degraded());
            }),
            Map.entry(Lease.class, r -> {
                Lease l = (Lease) r;
                return fields("expiryTime", l.expiryTime(), "mac", l.mac(), "protocol", l.protocol(), "ipAddress",
                        l.ipAddress(), "prefix", l.prefix(), "hostname", l.hostname(), "clientId", l.clientId(), "iaid", l.iaid());
            }),
            Map.entry(Port.class, r -> {
                Port p = (Port) r;
                return fields("uuid", p.uuid(), "network", p.network(), "tap", p.tap(), "tapMac", p.tapMac(), "mac",
                        p.mac(), "bridge", p.bridge(), "ownerUid", p.ownerUid(), "ownerGid", p.ownerGid(), "portgroup",
                        p.portgroup(), "ip", p.ip(), "isolated", p.isolated(), "mtu", p.mtu(), "queues", p.queues(),
                        "passFd", p.passFd(), "state", p.state(), "notes", p.notes(), "fdToken", p.fdToken());
            }),
            Map.entry(NetworkEvent.class, r -> {
                NetworkEvent e = (NetworkEvent) r;
                return fields("network", e.network(), "uuid", e.uuid(), "event", e.event(), "detail", e.detail(),
                        "timestamp", e.timestamp(), "uri", e.uri());
            }),
            Map.entry(UpdateResult.class, r -> fields("live", ((UpdateResult) r).live(), "config", ((UpdateResult) r).config())),
            Map.entry(VersionResult.class, r -> fields("version", ((VersionResult) r).version())),
            Map.entry(XmlResult.class, r -> fields("xml", ((XmlResult) r).xml())),
            Map.entry(MetadataResult.class, r -> fields("value", ((MetadataResult) r).value())),
            Map.entry(DiagnoseResult.class, r -> fields("findings", ((DiagnoseResult) r).findings())),
            Map.entry(FirewallFinding.class, r -> {
                FirewallFinding f = (FirewallFinding) r;
                return fields("check", f.check(), "severity", f.severity(), "message", f.message(), "hint", f.hint());
            }),
            Map.entry(ImportResult.class, r -> fields("dryRun", ((ImportResult) r).dryRun(), "networks", ((ImportResult) r).networks())),
            Map.entry(ImportResult.Network.class, r -> {
                ImportResult.Network n = (ImportResult.Network) r;
                return fields("name", n.name(), "uuid", n.uuid(), "bridge", n.bridge(), "outcome", n.outcome(),
                        "takenOver", n.takenOver(), "steps", n.steps());
            }),
            Map.entry(ServiceStats.class, r -> {
                ServiceStats st = (ServiceStats) r;
                return fields("network", st.network(), "dhcp", st.dhcp(), "dhcp6", st.dhcp6(), "ra", st.ra());
            }),
            Map.entry(ServiceStats.Dhcp.class, r -> {
                ServiceStats.Dhcp d = (ServiceStats.Dhcp) r;
                return fields("received", d.received(), "malformed", d.malformed(), "ignored", d.ignored(), "offers", d.offers(),
                        "acks", d.acks(), "naks", d.naks());
            }),
            Map.entry(ServiceStats.Dhcp6.class, r -> {
                ServiceStats.Dhcp6 d = (ServiceStats.Dhcp6) r;
                return fields("received", d.received(), "malformed", d.malformed(), "ignored", d.ignored());
            }),
            Map.entry(ServiceStats.RouterAdvertisements.class, r -> {
                ServiceStats.RouterAdvertisements a = (ServiceStats.RouterAdvertisements) r;
                return fields("advertisementsSent", a.advertisementsSent(), "sendFailures", a.sendFailures(),
                        "solicitationsAnswered", a.solicitationsAnswered(), "solicitationsRateLimited", a.solicitationsRateLimited(),
                        "solicitationsMalformed", a.solicitationsMalformed(), "solicitationsInvalid", a.solicitationsInvalid(),
                        "solicitationsOverflowed", a.solicitationsOverflowed());
            }));

    private WireRecords() {
    }

    /** Whether {@code type} is one of the records read and written here. */
    static boolean knows(Class<?> type) {
        return READERS.containsKey(type);
    }

    /** {@code json} (a parsed object) as a {@code type}; a mistyped field is an IllegalArgumentException naming it. */
    static <T> T read(Object json, Class<T> type) {
        Function<Fields, ?> reader = READERS.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("no reader for " + type.getSimpleName());
        }
        return type.cast(reader.apply(new Fields(Json.object(json, type.getSimpleName()), type.getSimpleName())));
    }

    /** The record's components by name, in declaration order, or null for a record not known here. */
    static Map<String, Object> write(Record r) {
        Function<Record, Map<String, Object>> writer = WRITERS.get(r.getClass());
        return writer == null ? null : writer.apply(r);
    }

    private static ImportResult.Network importedNetwork(Object json) {
        return importedNetwork(new Fields(Json.object(json, "ImportResult.Network"), "ImportResult.Network"));
    }

    private static ImportResult.Network importedNetwork(Fields f) {
        return new ImportResult.Network(f.string("name"), f.string("uuid"), f.string("bridge"), f.string("outcome"),
                f.bool("takenOver"), f.strings("steps"));
    }

    private static ServiceStats.Dhcp dhcpStats(Fields f) {
        return new ServiceStats.Dhcp(f.number("received"), f.number("malformed"), f.number("ignored"), f.number("offers"),
                f.number("acks"), f.number("naks"));
    }

    private static ServiceStats.Dhcp6 dhcp6Stats(Fields f) {
        return new ServiceStats.Dhcp6(f.number("received"), f.number("malformed"), f.number("ignored"));
    }

    private static ServiceStats.RouterAdvertisements raStats(Fields f) {
        return new ServiceStats.RouterAdvertisements(f.number("advertisementsSent"), f.number("sendFailures"),
                f.number("solicitationsAnswered"), f.number("solicitationsRateLimited"), f.number("solicitationsMalformed"),
                f.number("solicitationsInvalid"), f.number("solicitationsOverflowed"));
    }

    private static FirewallFinding findingOrNull(Object json) {
        return json == null ? null : finding(new Fields(Json.object(json, "FirewallFinding"), "FirewallFinding"));
    }

    private static FirewallFinding finding(Fields f) {
        return new FirewallFinding(f.string("check"), f.severity("severity"), f.string("message"), f.string("hint"));
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /**
     * Typed reads of one parsed object's fields: a missing or null field is null, false or 0 (a list empty);
     * a field of another JSON type is an IllegalArgumentException naming {@code Record.field}.
     */
    private record Fields(Map<String, Object> json, String type) {
        String string(String name) {
            Object v = json.get(name);
            if (v instanceof Map || v instanceof List) {
                throw new IllegalArgumentException(type + "." + name + " is not a string");
            }
            return v == null ? null : v.toString();
        }

        boolean bool(String name) {
            Object v = json.get(name);
            if (v != null && !(v instanceof Boolean)) {
                throw new IllegalArgumentException(type + "." + name + " is not true or false");
            }
            return Boolean.TRUE.equals(v);
        }

        Integer optionalInt(String name) {
            Number n = number(name, json.get(name));
            return n == null ? null : n.intValue();
        }

        int integer(String name) {
            Number n = number(name, json.get(name));
            return n == null ? 0 : n.intValue();
        }

        long number(String name) {
            Number n = number(name, json.get(name));
            return n == null ? 0 : n.longValue();
        }

        private Number number(String name, Object v) {
            if (v != null && !(v instanceof Number)) {
                throw new IllegalArgumentException(type + "." + name + " is not a number");
            }
            return (Number) v;
        }

        FirewallFinding.Severity severity(String name) {
            String v = string(name);
            if (v == null) {
                return null;
            }
            for (FirewallFinding.Severity s : FirewallFinding.Severity.values()) {
                if (s.name().equals(v)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(type + "." + name + " is not one of "
                    + List.of(FirewallFinding.Severity.values()) + ": " + v);
        }

        List<String> strings(String name) {
            return list(name, o -> {
                if (o instanceof Map || o instanceof List) {
                    throw new IllegalArgumentException(type + "." + name + "[] is not a string");
                }
                return o == null ? null : o.toString();
            });
        }

        /** A nested object as {@code reader} reads it; null when missing or null (a section left out). */
        <T> T object(String name, Function<Fields, T> reader) {
            Object v = json.get(name);
            return v == null ? null : reader.apply(new Fields(Json.object(v, type + "." + name), type + "." + name));
        }

        <T> List<T> list(String name, Function<Object, T> element) {
            Object v = json.get(name);
            if (v == null) {
                return List.of();
            }
            List<T> out = new ArrayList<>();
            for (Object o : Json.array(v, type + "." + name)) {
                out.add(element.apply(o));
            }
            return out;
        }
    }
}
