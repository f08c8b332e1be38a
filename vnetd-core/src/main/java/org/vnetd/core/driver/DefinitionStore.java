package org.vnetd.core.driver;

import java.util.List;

/**
 * Where persistent definitions live (the config dir in the daemon). Writes are atomic. A file that
 * cannot be read is returned as a {@link Stored} with {@code problem} set; the driver then sets it
 * aside and goes on with the others.
 */
public interface DefinitionStore {
    record Stored(String name, String xml, boolean autostart, String problem) {
    }

    List<Stored> loadAll();

    void save(String name, String xml);

    void delete(String name);

    void setAutostart(String name, boolean autostart);

    /** Moves a definition that cannot be used out of the way, keeping its bytes; returns where it went. */
    String setAside(String name, String reason);
}
