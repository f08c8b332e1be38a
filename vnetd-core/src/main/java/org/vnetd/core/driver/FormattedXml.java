package org.vnetd.core.driver;

import java.util.Objects;
import java.util.function.Supplier;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * The last XML formatted of one network, live and inactive: a client (virsh, virt-manager) asks for the
 * same XML again and again, and formatting it is most of what such a call costs. A definition is never
 * changed in place once a network holds it (define, update, metadata and start all swap in a new one), so
 * XML formatted from the same definition object with the same port counts is current.
 */
final class FormattedXml {
    private record Memo(NetworkDef def, Object counts, String xml) {
        boolean of(NetworkDef d, Object c) {
            return def == d && Objects.equals(counts, c);
        }
    }

    private volatile Memo live;
    private volatile Memo inactive;

    /**
     * The XML of {@code def} with the port {@code counts} it shows (a value with equals; null for none), formatted by
     * {@code format} unless the last one still is it.
     */
    String get(NetworkDef def, boolean inactiveXml, Object counts, Supplier<String> format) {
        Memo m = inactiveXml ? inactive : live;
        if (m != null && m.of(def, counts)) {
            return m.xml();
        }
        m = new Memo(def, counts, format.get());
        if (inactiveXml) {
            inactive = m;
        } else {
            live = m;
        }
        return m.xml();
    }
}
