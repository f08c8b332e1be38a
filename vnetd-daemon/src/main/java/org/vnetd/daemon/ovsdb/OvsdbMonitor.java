package org.vnetd.daemon.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives a monitor's table updates (RFC 7047 section 4.1.5: {@code {table: {uuid: {old, new}}}}).
 * After every (re)connection the client sends the monitor again and the first call has
 * {@code initial} true: the updates are then the whole current contents, and the receiver drops
 * what it knew before (rows deleted while the connection was down are simply absent).
 */
@FunctionalInterface
public interface OvsdbMonitor {
    void onUpdate(JsonNode tableUpdates, boolean initial);
}
