package org.vnetd.daemon.firewalld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/** The busctl calls and replies of {@link Firewalld}, and {@link FirewalldZones}' choices, against a scripted busctl. */
class FirewalldTest {
    private final List<List<String>> calls = new ArrayList<>();

    /** busctl answering {@code method → stdout}; a reply starting with "!" fails with that stderr. */
    private CommandRunner busctl(Map<String, String> replies) {
        return (argv, stdin) -> {
            calls.add(argv);
            String method = argv.get(8);
            String reply = replies.getOrDefault(method, "");
            return reply.startsWith("!") ? new CommandResult(argv, 1, "", reply.substring(1)) : new CommandResult(argv, 0, reply, "");
        };
    }

    @Test
    void theBusSocketComesFromTheAddress() {
        assertEquals(Optional.of(Path.of("/run/dbus/system_bus_socket")), Firewalld.socketOf(null));
        assertEquals(Optional.of(Path.of("/tmp/b.sock")), Firewalld.socketOf("unix:path=/tmp/b.sock,guid=x;tcp:host=h"));
        assertEquals(Optional.empty(), Firewalld.socketOf("unix:abstract=/tmp/x"));
        assertFalse(Firewalld.onSystemBus(busctl(Map.of()), Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")).running());
        assertEquals(List.of(), calls, "no process for a bus that is not there");
        assertFalse(Firewalld.none().running());
    }

    @Test
    void aNatNetworkGoesInLibvirtAndARoutedOneInLibvirtRoutedWhenFirewalldHasIt() {
        Map<String, String> replies = Map.of("NameHasOwner", "{\"type\":\"b\",\"data\":[true]}",
                "getZones", "{\"type\":\"as\",\"data\":[[\"public\",\"libvirt\",\"libvirt-routed\"]]}",
                "getPolicies", "{\"type\":\"as\",\"data\":[[\"libvirt-routed-out\"]]}");
        FirewalldZones zones = new FirewalldZones(new Firewalld(busctl(replies), Optional.empty(), true));
        assertEquals(Map.of("zone", "libvirt"), zones.apply(new Action.FirewalldZone("n", "virbr1", Optional.empty(), false)));
        assertEquals(List.of("busctl", "--system", "--json=short", "--timeout=10s", "call", "org.fedoraproject.FirewallD1",
                "/org/fedoraproject/FirewallD1", "org.fedoraproject.FirewallD1.zone", "changeZoneOfInterface", "ss", "libvirt", "virbr1"),
                calls.getLast());
        assertEquals(Map.of("zone", "libvirt-routed"), zones.apply(new Action.FirewalldZone("r", "virbr2", Optional.empty(), true)));
        zones.undo(new Action.FirewalldZone("r", "virbr2", Optional.empty(), true), Map.of("zone", "libvirt-routed"));
        assertEquals(List.of("removeInterface", "ss", "", "virbr2"), calls.getLast().subList(8, 12));
    }

    @Test
    void withoutTheLibvirtZoneTheStartFailsAndFirewalldsRefusalIsNamed() {
        Map<String, String> replies = Map.of("NameHasOwner", "{\"type\":\"b\",\"data\":[true]}",
                "getZones", "{\"type\":\"as\",\"data\":[[\"public\"]]}",
                "changeZoneOfInterface", "!Call failed: INVALID_ZONE: nosuch");
        FirewalldZones zones = new FirewalldZones(new Firewalld(busctl(replies), Optional.empty(), true));
        VnetException e = assertThrows(VnetException.class,
                () -> zones.apply(new Action.FirewalldZone("n", "virbr1", Optional.empty(), true)));
        assertEquals(ErrorCode.FIREWALL, e.code());
        assertTrue(e.getMessage().contains("has no 'libvirt' zone for network 'n'"), e.getMessage());
        e = assertThrows(VnetException.class, () -> zones.apply(new Action.FirewalldZone("n", "virbr1", Optional.of("nosuch"), false)));
        assertEquals("firewalld refused changeZoneOfInterface: INVALID_ZONE: nosuch", e.getMessage());
        assertEquals(Set.of(), new Firewalld(busctl(Map.of("getPolicies", "!Unknown method")), Optional.empty(), true).policies());
    }
}
