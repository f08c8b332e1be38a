package org.vnetd.core.rpc;

/** The result of {@code network.update}: which of the live and the persistent definition were changed. */
public record UpdateResult(boolean live, boolean config) {
}
