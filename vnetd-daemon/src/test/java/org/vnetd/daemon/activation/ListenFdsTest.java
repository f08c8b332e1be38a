package org.vnetd.daemon.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;

/** sd_listen_fds_with_names(3)'s reading of the environment. */
class ListenFdsTest {
    @Test
    void namedDescriptorsFromThree() {
        ListenFds fds = ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "3", "LISTEN_FDNAMES", "vnetd.sock:dhcp4.virbr0:dhcp4.virbr0"), 42);
        assertEquals(List.of(new ListenFds.Passed("vnetd.sock", 3), new ListenFds.Passed("dhcp4.virbr0", 4),
                new ListenFds.Passed("dhcp4.virbr0", 5)), fds.fds());
    }

    @Test
    void withoutNamesEachIsUnknown() {
        assertEquals(List.of(new ListenFds.Passed("unknown", 3)), ListenFds.parse(Map.of("LISTEN_PID", "7", "LISTEN_FDS", "1"), 7).fds());
    }

    @Test
    void descriptorsMeantForAnotherProcessAreNotOurs() {
        // a child (the firewall tools) inherits the environment but not the descriptors
        assertTrue(ListenFds.parse(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "2"), 42).fds().isEmpty());
        assertTrue(ListenFds.parse(Map.of(), 42).fds().isEmpty());
        assertTrue(ListenFds.parse(Map.of("LISTEN_FDS", "2"), 42).fds().isEmpty());
    }

    @Test
    void aBrokenEnvironmentIsAnErrorNamingTheVariable() {
        VnetException e = assertThrows(VnetException.class, () -> ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "two"), 42));
        assertTrue(e.getMessage().contains("LISTEN_FDS='two'"), e.getMessage());
        e = assertThrows(VnetException.class,
                () -> ListenFds.parse(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "a"), 42));
        assertTrue(e.getMessage().contains("LISTEN_FDNAMES"), e.getMessage());
    }
}
