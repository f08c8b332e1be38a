package org.vnetd.daemon.ovn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.vnetd.core.ovn.OvnKeys;
import org.vnetd.core.ovsdb.OvsdbValue;

/**
 * A guest's logical switch port as the northbound database has it.
 *
 * @param mac     lower case, from {@code addresses}
 * @param address the static address of {@code addresses}, else the one OVN gave ({@code dynamic_addresses}), if any
 * @param host    the host (chassis name) whose vnetd made it
 * @param up      {@code up}: ovn-controller has bound it on its chassis (empty until northd says)
 */
public record OvnPortRow(String name, String mac, Optional<String> address, String host, Optional<Boolean> up) {

    static OvnPortRow of(Map<String, OvsdbValue> row) {
        String name = strings(row.get("name")).getFirst();
        String[] addresses = strings(row.get("addresses")).stream().findFirst().orElse("").split(" ");
        String mac = addresses[0].toLowerCase(Locale.ROOT);
        Optional<String> address = addresses.length > 1 && !addresses[1].equals("dynamic") ? Optional.of(addresses[1])
                : strings(row.get("dynamic_addresses")).stream().findFirst().map(d -> d.split(" ")).filter(d -> d.length > 1)
                        .map(d -> d[1]);
        String host = "";
        if (row.get("external_ids") instanceof OvsdbValue.MapOf ids
                && ids.entries().get(OvsdbValue.of(OvnKeys.PORT_HOST)) instanceof OvsdbValue.Atom a) {
            host = a.value().toString();
        }
        Optional<Boolean> up = strings(row.get("up")).stream().findFirst().map(Boolean::parseBoolean);
        return new OvnPortRow(name, mac, address, host, up);
    }

    /** An OVSDB set of atoms (a one-element set comes as the atom itself) as strings. */
    private static List<String> strings(OvsdbValue v) {
        List<String> out = new ArrayList<>();
        switch (v) {
            case null -> {
            }
            case OvsdbValue.Atom a -> out.add(a.value().toString());
            case OvsdbValue.SetOf s -> s.elements().forEach(e -> {
                if (e instanceof OvsdbValue.Atom a) {
                    out.add(a.value().toString());
                }
            });
            default -> {
            }
        }
        return out;
    }
}
