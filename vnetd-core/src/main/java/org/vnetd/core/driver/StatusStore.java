package org.vnetd.core.driver;

import java.util.List;

/** Status files of running networks (the run dir in the daemon). */
public interface StatusStore {
    record Loaded(String name, NetworkStatus status, String problem) {
    }

    List<Loaded> loadAll();

    void save(NetworkStatus status);

    void delete(String name);

    /** Moves an unreadable status file aside, keeping its bytes. */
    String setAside(String name, String reason);
}
