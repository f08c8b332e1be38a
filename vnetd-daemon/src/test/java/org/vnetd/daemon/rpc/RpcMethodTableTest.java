package org.vnetd.daemon.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.Methods;

/** The JSON RPC's dispatch table: exactly the methods of {@link Methods}, each once, with its documented access. */
class RpcMethodTableTest {
    private static final RpcMethod.Handler NOTHING = c -> null;

    private static List<RpcMethod> every() {
        List<RpcMethod> all = new ArrayList<>();
        for (String name : Methods.ALL) {
            all.add(RpcMethod.onWorker(name, Methods.isReadOnly(name) ? RpcMethod.Access.READ : RpcMethod.Access.WRITE, NOTHING));
        }
        return all;
    }

    @Test
    void servesEveryMethodWithItsAccess() {
        RpcMethodTable table = new RpcMethodTable(every());
        for (String name : Methods.ALL) {
            assertEquals(Methods.isReadOnly(name), table.lookup(name).orElseThrow().access() == RpcMethod.Access.READ, name);
        }
        assertTrue(table.lookup("network.frobnicate").isEmpty());
    }

    @Test
    void aMethodWithoutAHandlerIsRefused() {
        List<RpcMethod> methods = every();
        methods.removeIf(m -> m.name().equals(Methods.PORT_FD));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RpcMethodTable(methods));
        assertTrue(e.getMessage().contains("no handler for [port.fd]"), e.getMessage());
    }

    @Test
    void aHandlerForAnUnknownMethodIsRefused() {
        List<RpcMethod> methods = every();
        methods.add(RpcMethod.onWorker("network.frobnicate", RpcMethod.Access.WRITE, NOTHING));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RpcMethodTable(methods));
        assertTrue(e.getMessage().contains("handlers for unknown methods [network.frobnicate]"), e.getMessage());
    }

    @Test
    void aMethodServedTwiceIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RpcMethodTable(every(), List.of(RpcMethod.onWorker(Methods.NETWORK_LIST, RpcMethod.Access.READ, NOTHING))));
        assertTrue(e.getMessage().contains("network.list has two handlers"), e.getMessage());
    }

    @Test
    void aChangeOfferedOnTheReadOnlySocketIsRefused() {
        List<RpcMethod> methods = every();
        methods.replaceAll(m -> m.name().equals(Methods.NETWORK_START)
                ? RpcMethod.onWorker(Methods.NETWORK_START, RpcMethod.Access.READ, NOTHING) : m);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new RpcMethodTable(methods));
        assertTrue(e.getMessage().contains("network.start (READ)"), e.getMessage());
    }
}
