package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The planner's second input, the observed host, fed by hand: a plan never collides with a link, a host route or
 * a running network, and what it does not collide with leaves the plan as the golden files have it.
 */
class PlanAgainstObservedStateTest {
    private static final NetworkDef NAT = NetworkXml.parse("""
            <network><name>default</name><forward mode='nat' dev='eth0'/><bridge name='virbr0'/>
            <ip address='192.168.122.1' netmask='255.255.255.0'/></network>""");
    private static final KernelView.Route DEFAULT_ROUTE = new KernelView.Route(IpPrefix.parse("0.0.0.0/0"), "eth0");
    private final NetworkPlanner planner = new NetworkPlanner();

    private static ObservedState host(Map<String, String> links, List<KernelView.Route> routes,
            List<ObservedState.RunningNetwork> running) {
        return new ObservedState(new KernelView(links, routes), running);
    }

    private String conflict(ObservedState observed) {
        VnetException e = assertThrows(VnetException.class, () -> planner.plan(NAT, observed));
        assertEquals(ErrorCode.CONFLICT, e.code());
        return e.getMessage();
    }

    @Test
    void aHostWithoutCollisionsGetsThePlanOfAnEmptyHost() {
        ObservedState host = host(Map.of("eth0", "", "virbr1", "bridge"), List.of(DEFAULT_ROUTE,
                new KernelView.Route(IpPrefix.parse("192.168.122.0/24"), "virbr0"), // its own, left by a crash
                new KernelView.Route(IpPrefix.parse("10.0.0.0/8"), "eth1")),
                List.of(new ObservedState.RunningNetwork("lab", "virbr1", List.of(IpPrefix.parse("192.168.100.0/24")))));
        assertEquals(planner.plan(NAT, host(Map.of("eth0", ""), List.of(), List.of())).text(), planner.plan(NAT, host).text());
    }

    @Test
    void aPlanDoesNotCollideWithTheObservedHost() {
        assertEquals("bridge name 'virbr0' of network 'default' is already in use by an interface vnetd does not manage "
                + "(kind dummy)", conflict(host(Map.of("eth0", "", "virbr0", "dummy"), List.of(), List.of())));
        assertEquals("forward device 'eth0' of network 'default' does not exist", conflict(ObservedState.NOTHING));
        assertEquals("Network is already in use by interface eth1: subnet 192.168.122.0/24 of network 'default' overlaps "
                + "the host route 192.168.0.0/16", conflict(host(Map.of("eth0", ""),
                List.of(DEFAULT_ROUTE, new KernelView.Route(IpPrefix.parse("192.168.0.0/16"), "eth1")), List.of())));
        assertEquals("subnet 192.168.122.0/24 of network 'default' overlaps 192.168.122.0/25 of running network 'lab'",
                conflict(host(Map.of("eth0", ""), List.of(), List.of(new ObservedState.RunningNetwork("lab", "virbr9",
                        List.of(IpPrefix.parse("192.168.122.0/25")))))));
        assertEquals("bridge 'virbr0' of network 'default' is already used by network 'lab'",
                conflict(host(Map.of("eth0", ""), List.of(), List.of(new ObservedState.RunningNetwork("lab", "virbr0",
                        List.of())))));
    }
}
