package org.vnetd.core.driver;

import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * A change of a network (net-update, metadata) written to its files before anything uses it: the new
 * live status and the new definition (either may be absent). When the second write fails the first is
 * put back; {@link #commit} makes the change the network's, {@link #restore} puts the files back when
 * applying it failed. So an operation that reports failure has changed neither the running network nor
 * what a restart finds. Used under the network's lock.
 */
final class PersistedChange {
    private final DefinitionStore definitions;
    private final StatusStore statuses;
    private final NetworkEntry e;
    private final NetworkDef newLive;
    private final NetworkStatus newStatus;
    private final NetworkStatus oldStatus;
    private final NetworkDef newConfig;
    private final String oldDefinition;

    private PersistedChange(DefinitionStore definitions, StatusStore statuses, NetworkEntry e, NetworkDef newLive,
            NetworkDef newConfig) {
        this.definitions = definitions;
        this.statuses = statuses;
        this.e = e;
        this.newLive = newLive;
        this.newConfig = newConfig;
        this.oldStatus = e.status;
        this.newStatus = newLive == null ? null : oldStatus.withLiveXml(NetworkXml.format(newLive, false));
        this.oldDefinition = newConfig == null ? null : NetworkXml.format(e.persistent, true);
    }

    /** Writes the status for {@code newLive} and the definition {@code newConfig} (null: not changed). */
    static PersistedChange write(DefinitionStore definitions, StatusStore statuses, NetworkEntry e, NetworkDef newLive,
            NetworkDef newConfig) {
        PersistedChange c = new PersistedChange(definitions, statuses, e, newLive, newConfig);
        if (c.newStatus != null) {
            statuses.save(c.newStatus);
        }
        if (newConfig != null) {
            try {
                definitions.save(e.name, NetworkXml.format(newConfig, true));
            } catch (RuntimeException ex) {
                c.restoreStatus(ex);
                throw ex;
            }
        }
        return c;
    }

    void commit() {
        if (newLive != null) {
            e.live = newLive;
            e.status = newStatus;
        }
        if (newConfig != null) {
            e.persistent = newConfig;
        }
    }

    /** Applying the change failed: the files go back to what they were ({@code cause} gets any failure to do so). */
    void restore(RuntimeException cause) {
        restoreStatus(cause);
        if (oldDefinition != null) {
            try {
                definitions.save(e.name, oldDefinition);
            } catch (RuntimeException ex) {
                cause.addSuppressed(ex);
            }
        }
    }

    private void restoreStatus(RuntimeException cause) {
        if (newStatus != null) {
            try {
                statuses.save(oldStatus);
            } catch (RuntimeException ex) {
                cause.addSuppressed(ex);
            }
        }
    }
}
