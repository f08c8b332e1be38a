package org.vnetd.core.driver;

import java.util.UUID;

import org.vnetd.core.xml.model.NetworkDef;

/**
 * One network's state. Changed only under the network's lock; fields are volatile so listings may
 * read a consistent-enough snapshot without taking every lock.
 */
final class NetworkEntry {
    final String name;
    final UUID uuid;
    /** The persistent definition (what {@code --inactive} shows); null for a transient network. */
    volatile NetworkDef persistent;
    /** The running definition; null when inactive. */
    volatile NetworkDef live;
    volatile boolean autostart;
    /** The running network's status: its live definition and the actions applied. */
    volatile NetworkStatus status;
    /** The XML last formatted of this network's definitions. */
    final FormattedXml xml = new FormattedXml();

    NetworkEntry(String name, UUID uuid) {
        this.name = name;
        this.uuid = uuid;
    }

    boolean active() {
        return live != null;
    }

    boolean persistentDefined() {
        return persistent != null;
    }

    /** The definition that describes the network now: live when running, else persistent. */
    NetworkDef current() {
        NetworkDef l = live;
        return l != null ? l : persistent;
    }
}
