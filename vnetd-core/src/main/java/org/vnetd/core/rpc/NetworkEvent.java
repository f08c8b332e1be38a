package org.vnetd.core.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An event pushed to subscribers. {@code event} is {@link #LIFECYCLE} (detail Defined, Undefined,
 * Started, Stopped), {@link #METADATA_CHANGE} (detail title, description or element) or
 * {@link #SERVICE_HEALTH} (detail Degraded or Repaired: a running network's service stopped serving,
 * or serves again; the reason is in the network's summary). {@code uri} is the
 * namespace of the changed element metadata (as libvirt's metadata-change event carries it), else null and
 * left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkEvent(String network, String uuid, String event, String detail, long timestamp, String uri) {
    public static final String LIFECYCLE = "lifecycle";
    public static final String METADATA_CHANGE = "metadata-change";
    public static final String SERVICE_HEALTH = "service-health";

    public static final String DEFINED = "Defined";
    public static final String UNDEFINED = "Undefined";
    public static final String STARTED = "Started";
    public static final String STOPPED = "Stopped";
    public static final String DEGRADED = "Degraded";
    public static final String REPAIRED = "Repaired";

    /** An event without a uri (every lifecycle event, title and description changes). */
    public NetworkEvent(String network, String uuid, String event, String detail, long timestamp) {
        this(network, uuid, event, detail, timestamp, null);
    }
}
