package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;

import java.util.List;

import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
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
                RpcMethod.of(Methods.EVENTS_SUBSCRIBE, READ, RpcMethod.RunsOn.EVENT_LOOP, Request.EventsSubscribe.class, (r, c) -> {
                    c.connection().subscribe(new EventHub.Filter(r.network(), r.event()));
                    return null;
                }));
    }
}
