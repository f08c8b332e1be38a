package org.vnetd.core.rpc;

/**
 * An event pushed to subscribers. {@code event} is {@link #LIFECYCLE} (detail Defined, Undefined,
 * Started, Stopped) or {@link #METADATA_CHANGE} (detail title, description or element).
 */
public record NetworkEvent(String network, String uuid, String event, String detail, long timestamp) {
    public static final String LIFECYCLE = "lifecycle";
    public static final String METADATA_CHANGE = "metadata-change";

    public static final String DEFINED = "Defined";
    public static final String UNDEFINED = "Undefined";
    public static final String STARTED = "Started";
    public static final String STOPPED = "Stopped";
}
