package org.vnetd.daemon.libvirt.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Where each network procedure runs: the reads of the driver's lock-free summaries, XML and leases on the
 * connection's event loop (no hand-off to a virtual thread and back, which a listing virsh paid several times
 * over), everything that may wait (changes) on workers, so a slow call never holds up the connection's
 * keepalive or other connections.
 */
class NetworkProceduresPlacementTest {
    @Test
    void summaryReadsRunOnTheEventLoopAndTheRestOnWorkers() {
        Map<String, Procedure.RunsOn> placement = new TreeMap<>();
        for (Procedure<?, ?> p : new NetworkProcedures(null).all()) {
            placement.put(p.api(), p.runsOn());
        }
        Map<String, Procedure.RunsOn> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("virNetworkLookupByName", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkLookupByUUID", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virConnectListAllNetworks", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virConnectNumOfNetworks", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virConnectNumOfDefinedNetworks", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virConnectListNetworks", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virConnectListDefinedNetworks", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkGetAutostart", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkIsActive", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkIsPersistent", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkGetBridgeName", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkGetXMLDesc", Procedure.RunsOn.EVENT_LOOP),
                Map.entry("virNetworkGetDHCPLeases", Procedure.RunsOn.EVENT_LOOP)));
        for (Map.Entry<String, Procedure.RunsOn> e : placement.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                assertEquals(Procedure.Access.WRITE, access(e.getKey()), e.getKey() + " is not listed here");
                expected.put(e.getKey(), Procedure.RunsOn.WORKER);
            }
        }
        assertEquals(expected, placement);
    }

    private static Procedure.Access access(String api) {
        return new NetworkProcedures(null).all().stream().filter(p -> p.api().equals(api)).findFirst().orElseThrow().access();
    }
}
