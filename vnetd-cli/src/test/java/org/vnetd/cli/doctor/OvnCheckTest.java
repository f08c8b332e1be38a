package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.NetworkSummary;

class OvnCheckTest {
    private static final String OVN_XML = """
            <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'><name>cluster</name><uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid><forward mode='nat'/>
            <ip address='10.77.0.1' prefix='24'/><vnetd:ovn northbound='tcp:192.0.2.10:6641' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24'/></network>""";

    private static List<NetworkFacts> ovnNetwork() {
        NetworkSummary s = new NetworkSummary("cluster", "u", true, true, false, "virbr1", null);
        return List.of(NetworkFacts.of(s, OVN_XML, List.of(), List.of()));
    }

    private static final Map<String, String> GOOD = Map.of("system-id", "hv1", "ovn-encap-ip", "192.168.50.11",
            "ovn-remote", "tcp:192.168.50.10:6642");

    @Test
    void theBindingIsReadFromTheNetworksXml() {
        assertEquals(Optional.of("tcp:192.0.2.10:6641"), ovnNetwork().getFirst().ovnNorthbound());
    }

    @Test
    void aHealthyChassisIsOk() {
        List<Finding> f = new OvnCheck().run(new FakeHost().running("ovn-controller").openVswitchExternalIds(GOOD), ovnNetwork());
        assertEquals(1, f.size());
        assertEquals(Severity.OK, f.getFirst().severity());
        assertTrue(f.getFirst().summary().contains("chassis hv1, tunnels from 192.168.50.11"), f.getFirst().summary());
    }

    @Test
    void aDefinitionOtherThanTheOneTheSwitchWasMadeFromIsAWarning() {
        NetworkFacts n = ovnNetwork().getFirst();
        String mine = n.ovnDefinition().orElseThrow();
        FakeHost host = new FakeHost().running("ovn-controller").openVswitchExternalIds(GOOD);
        assertEquals(List.of(Severity.OK), new OvnCheck().run(host.ovnDefinitionInOvn(mine), List.of(n)).stream()
                .map(Finding::severity).toList(), "the same definition: only the OK line");
        List<Finding> f = new OvnCheck().run(host.ovnDefinitionInOvn("0123456789abcdef"), List.of(n));
        assertEquals(List.of("network 'cluster' is defined differently here than on the host that made it in OVN"),
                f.stream().map(Finding::summary).toList());
        assertEquals(Severity.WARN, f.getFirst().severity());
        assertTrue(f.getFirst().why().contains("0123456789abcdef") && f.getFirst().why().contains(mine), f.getFirst().why());
    }

    @Test
    void missingControllerEncapIpAndUnreachableNorthboundAreEachAFailure() {
        Map<String, String> noEncap = Map.of("system-id", "hv1", "ovn-remote", "tcp:192.168.50.10:6642");
        List<Finding> f = new OvnCheck().run(new FakeHost().openVswitchExternalIds(noEncap)
                .noOvsdbAnswers("tcp:192.0.2.10:6641: Connection refused"), ovnNetwork());
        assertEquals(List.of(
                "the OVN northbound database tcp:192.0.2.10:6641 of cluster does not answer",
                "ovn-controller is not running on this host (networks on OVN: cluster)",
                "chassis hv1 has no ovn-encap-ip"), f.stream().map(Finding::summary).toList());
        assertTrue(f.stream().allMatch(x -> x.severity() == Severity.FAIL));
        assertTrue(f.getFirst().why().contains("Connection refused"), f.getFirst().why());
    }

    @Test
    void noNetworkOnOvnSaysNothing() {
        NetworkSummary s = new NetworkSummary("default", "u", true, true, false, "virbr0", null);
        List<NetworkFacts> local = List.of(NetworkFacts.of(s, "<network><name>default</name><ip address='10.0.0.1' prefix='24'/></network>",
                List.of(), List.of()));
        assertEquals(List.of(), new OvnCheck().run(new FakeHost().noOvsdbAnswers("x"), local));
    }
}
