package org.vnetd.core.rpc;

/** The result of {@code daemon.version}. */
public record VersionResult(String version) {
}
