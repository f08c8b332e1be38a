package org.vnetd.daemon.rpc;

import static org.vnetd.daemon.rpc.RpcMethod.Access.READ;
import static org.vnetd.daemon.rpc.RpcMethod.Access.WRITE;
import static org.vnetd.daemon.rpc.RpcMethod.onWorker;

import java.util.List;

import org.vnetd.core.qos.Bandwidths;
import org.vnetd.core.rpc.Methods;
import org.vnetd.core.rpc.Request;
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
                RpcMethod.of(Methods.PORT_CREATE, WRITE, r -> ((Request.PortCreate) r).tap() == null, Request.PortCreate.class,
                        (r, c) -> ports.create(PortRequest.from(r))),
                RpcMethod.of(Methods.PORT_DELETE, WRITE, RpcMethod.RunsOn.EVENT_LOOP, Request.PortDelete.class, (r, c) -> {
                    ports.delete(r.network(), r.uuid(), r.releaseLease());
                    return null;
                }),
                onWorker(Methods.PORT_LIST, READ, Request.PortList.class, (r, c) -> ports.list(r.network())),
                onWorker(Methods.PORT_GET_XML, READ, Request.PortGetXml.class,
                        (r, c) -> new XmlResult(ports.getXml(r.network(), r.uuid()))),
                onWorker(Methods.PORT_FD, WRITE, Request.PortFd.class, (r, c) -> ports.takeFds(r.fdToken())),
                onWorker(Methods.PORT_SET_BANDWIDTH, WRITE, Request.PortSetBandwidth.class, (r, c) -> {
                    ports.setBandwidth(r.network(), r.uuid(), Bandwidths.fromParameters(r.parameters()));
                    return null;
                }));
    }
}
