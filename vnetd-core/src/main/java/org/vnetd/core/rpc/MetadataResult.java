package org.vnetd.core.rpc;

/** The result of {@code network.getMetadata}: {@code value} is null (and sent as null) when there is none. */
public record MetadataResult(String value) {
}
