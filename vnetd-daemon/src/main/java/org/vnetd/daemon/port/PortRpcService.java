package org.vnetd.daemon.port;

import java.util.Map;

import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Params;
import org.vnetd.daemon.rpc.RpcCall;
import org.vnetd.daemon.rpc.RpcDispatcher;

/** The {@code port.*} methods (docs/rpc.md); every other method goes to {@code next}. */
public final class PortRpcService implements RpcDispatcher {
    private final PortManager ports;
    private final RpcDispatcher next;

    public PortRpcService(PortManager ports, RpcDispatcher next) {
        this.ports = ports;
        this.next = next;
    }

    @Override
    public Object call(RpcCall call) throws Exception {
        Params p = call.params();
        return switch (call.method()) {
            case Methods.PORT_CREATE -> ports.create(PortRequest.from(p));
            case Methods.PORT_DELETE -> {
                ports.delete(p.optString("network"), p.string("uuid"), p.bool("releaseLease", false));
                yield null;
            }
            case Methods.PORT_LIST -> ports.list(p.optString("network"));
            case Methods.PORT_GET_XML -> Map.of("xml", ports.getXml(p.optString("network"), p.string("uuid")));
            case Methods.PORT_FD -> ports.takeFds(p.string("fdToken"));
            default -> next.call(call);
        };
    }
}
