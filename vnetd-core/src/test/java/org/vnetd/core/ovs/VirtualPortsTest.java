package org.vnetd.core.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.VirtualPort;

class VirtualPortsTest {
    private static final UUID GENERATED = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private static Optional<VirtualPort> vp(String type, String... kv) {
        List<Map.Entry<String, String>> params = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.add(Map.entry(kv[i], kv[i + 1]));
        }
        return Optional.of(new VirtualPort(Optional.ofNullable(type), params));
    }

    @Test
    void nothingSaidNothingMerged() {
        assertTrue(VirtualPorts.merge("n", Optional.empty(), Optional.empty(), Optional.empty(), () -> GENERATED).isEmpty());
    }

    @Test
    void openvswitchGetsAGeneratedInterfaceIdAndThePortgroupsProfile() {
        VirtualPort m = VirtualPorts.merge("n", Optional.empty(), vp("openvswitch"), vp(null, "profileid", "web"), () -> GENERATED)
                .orElseThrow();
        assertEquals(Optional.of("openvswitch"), m.type());
        assertEquals(List.of(Map.entry("interfaceid", GENERATED.toString()), Map.entry("profileid", "web")), m.parameters());
    }

    @Test
    void thePortsOwnInterfaceIdIsKept() {
        String id = "09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f";
        VirtualPort m = VirtualPorts.merge("n", vp(null, "interfaceid", id), vp("openvswitch"), Optional.empty(), () -> GENERATED)
                .orElseThrow();
        assertEquals(Optional.of(id), VirtualPorts.parameter(m, "interfaceid"));
    }

    @Test
    void contradictionsAreRefusedAsLibvirtDoes() {
        VnetException e = assertThrows(VnetException.class, () -> VirtualPorts.merge("n", Optional.empty(), vp("openvswitch"),
                vp("802.1Qbh"), () -> GENERATED));
        assertTrue(e.getMessage().contains("mismatched types (openvswitch and 802.1Qbh)"), e.getMessage());
        e = assertThrows(VnetException.class, () -> VirtualPorts.merge("n", Optional.empty(), vp("openvswitch", "profileid", "a"),
                vp(null, "profileid", "b"), () -> GENERATED));
        assertTrue(e.getMessage().contains("mismatched profileids ('a' and 'b')"), e.getMessage());
    }
}
