package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;
import static org.vnetd.daemon.rpc.RpcMethod.Access.WRITE;
import static org.vnetd.daemon.rpc.RpcMethod.onWorker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.XmlResult;
import org.vnetd.daemon.port.PortManager;
import org.vnetd.daemon.port.PortRequest;

/**
 * The {@code port.*} methods (docs/rpc.md) over the {@link PortManager} (the one the libvirt front-end's
 * port procedures use). A port's create or delete is a handful of kernel requests (~1 ms), serialised by the
 * port manager anyway, and a launcher plugging many guests waits for each reply, so they run on the event
 * loop that read them: the two thread hand-offs of a worker were a fifth of the call. A create naming its tap
 * may wait for the reaper and runs on a worker.
 */
public final class PortMethods {
    private final PortManager ports;

    public PortMethods(PortManager ports) {
        this.ports = ports;
    }

    public List<RpcMethod> all() {
        return List.of(
                new RpcMethod(Methods.PORT_CREATE, WRITE, params -> !params.has("tap"),
                        c -> ports.create(PortRequest.from(c.params()))),
                new RpcMethod(Methods.PORT_DELETE, WRITE, RpcMethod.RunsOn.EVENT_LOOP, c -> {
                    ports.delete(c.params().optString("network"), c.params().string("uuid"),
                            c.params().bool("releaseLease", false));
                    return null;
                }),
                onWorker(Methods.PORT_LIST, READ, c -> ports.list(c.params().optString("network"))),
                onWorker(Methods.PORT_GET_XML, READ, c -> new XmlResult(
                        ports.getXml(c.params().optString("network"), c.params().string("uuid")))),
                onWorker(Methods.PORT_FD, WRITE, c -> ports.takeFds(c.params().string("fdToken"))),
                onWorker(Methods.PORT_SET_BANDWIDTH, WRITE, c -> {
                    Map<String, Long> values = new HashMap<>();
                    for (String field : Bandwidths.PARAMETERS) {
                        Long v = c.params().optUnsignedInt(field);
                        if (v != null) {
                            values.put(field, v);
                        }
                    }
                    ports.setBandwidth(c.params().optString("network"), c.params().string("uuid"), Bandwidths.fromParameters(values));
                    return null;
                }));
    }
}
