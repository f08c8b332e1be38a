package org.vnetd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.Methods;
import org.vnetd.daemon.libvirtimport.LibvirtImportService;
import org.vnetd.daemon.rpc.FirewallDiagnoseService;
import org.vnetd.daemon.rpc.RpcMethod;
import org.vnetd.daemon.rpc.RpcMethodTable;
import org.vnetd.daemon.rpc.ServiceStatsMethod;

/** The daemon's own table builds (so its start does not fail on it) and serves every method with its access. */
class DaemonRpcMethodsTest {
    @Test
    void theDaemonServesExactlyTheMethodsOfTheContract() {
        RpcMethodTable table = Daemon.rpcMethods(null, null, new FirewallDiagnoseService(null, null),
                new LibvirtImportService(null, null, null, null, null, null), new ServiceStatsMethod(null, null));
        Set<String> readOnly = Methods.ALL.stream()
                .filter(m -> table.lookup(m).orElseThrow().access() == RpcMethod.Access.READ).collect(Collectors.toSet());
        assertEquals(Methods.READ_ONLY, readOnly);
        assertTrue(table.lookup(Methods.EVENT).isEmpty(), "event is the server's notification, not a method");
    }
}
