package org.vnetd.daemon.rpc;

import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.rpc.Methods;

/** Method tables for transport tests: the connection's own methods as the daemon serves them, every other one by a stand-in. */
final class TestMethods {
    private TestMethods() {
    }

    static RpcMethodTable answering(RpcMethod.Handler handler) {
        List<RpcMethod> rest = new ArrayList<>();
        List<RpcMethod> own = ConnectionMethods.all();
        for (String name : Methods.ALL) {
            if (own.stream().noneMatch(m -> m.name().equals(name))) {
                rest.add(RpcMethod.onWorker(name, Methods.isReadOnly(name) ? RpcMethod.Access.READ : RpcMethod.Access.WRITE,
                        handler));
            }
        }
        return new RpcMethodTable(own, rest);
    }
}
