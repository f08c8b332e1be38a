package org.vnetd.core.driver;

import java.util.List;

/** Status files of running networks (the run dir in the daemon). */
public interface StatusStore {
    record Loaded(String name, NetworkStatus status, String problem) {
    }

    List<Loaded> loadAll();

    void save(NetworkStatus status);

    /**
     * A start's intent: {@code intent} is not complete and lists every planned action with an empty
     * record; it is stored before the first action runs, so a crash at any point leaves the whole plan
     * for the next daemon to roll back.
     */
    default void saveIntent(NetworkStatus intent) {
        save(intent);
    }

    /**
     * The start whose intent this store saved last for that network is done: {@code complete} is that
     * intent with {@code complete} set and each action's record. A store may keep only what the intent
     * lacks (the run dir appends the records to the intent's file instead of writing the status again).
     */
    default void saveCompletion(NetworkStatus complete) {
        save(complete);
    }

    void delete(String name);

    /** Moves an unreadable status file aside, keeping its bytes. */
    String setAside(String name, String reason);
}
