package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;

import java.util.List;

import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.Params;
import org.vnetd.core.rpc.RpcError;
import org.vnetd.core.rpc.RpcProtocolException;
import org.vnetd.core.rpc.VersionResult;

/**
 * The methods about the daemon and the connection itself: {@code daemon.version} and {@code events.subscribe}.
 * Both run on the connection's event loop: the version is a constant, and a subscription is registered there
 * before the reply is written, so a client that waits for the reply misses no event it causes next (an event
 * published meanwhile by another thread is queued behind the reply).
 */
public final class ConnectionMethods {
    public static final String VERSION = "0.1.0";

    private ConnectionMethods() {
    }

    public static List<RpcMethod> all() {
        return List.of(
                new RpcMethod(Methods.DAEMON_VERSION, READ, RpcMethod.RunsOn.EVENT_LOOP, c -> new VersionResult(VERSION)),
                new RpcMethod(Methods.EVENTS_SUBSCRIBE, READ, RpcMethod.RunsOn.EVENT_LOOP, c -> {
                    c.connection().subscribe(filter(c.params()));
                    return null;
                }));
    }

    private static EventHub.Filter filter(Params p) {
        String network = p.optString("network");
        String event = p.optString("event");
        if (event != null && !event.equals(NetworkEvent.LIFECYCLE) && !event.equals(NetworkEvent.METADATA_CHANGE)) {
            throw new RpcProtocolException(null, RpcError.protocol(RpcError.INVALID_PARAMS,
                    "Invalid params for events.subscribe: unknown event '" + event + "' (lifecycle, metadata-change)"));
        }
        return new EventHub.Filter(network, event);
    }
}
