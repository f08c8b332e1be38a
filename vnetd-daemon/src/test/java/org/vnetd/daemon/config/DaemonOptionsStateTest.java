package org.vnetd.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.VnetException;

class DaemonOptionsStateTest {
    @Test
    void optionsOverrideEveryPath() {
        DaemonOptions o = DaemonOptions.parse("--config-dir", "/c", "--state-dir", "/s", "--run-dir", "/r", "--no-default-network");
        assertEquals(Path.of("/c/networks"), o.networksDir());
        assertEquals(Path.of("/c/vnetd.conf"), o.confFile());
        assertEquals(Path.of("/s"), o.stateDir());
        assertEquals(Path.of("/r"), o.runDir());
        assertFalse(o.defaultNetwork());
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertEquals("unknown option: --frob (see --help)",
                assertThrows(VnetException.class, () -> DaemonOptions.parse("--frob")).getMessage());
        assertEquals("missing value for --run-dir",
                assertThrows(VnetException.class, () -> DaemonOptions.parse("--run-dir")).getMessage());
    }

    @Test
    void confFileIsStrict() {
        ConfFile c = ConfFile.parse("vnetd.conf", List.of("# comment", "", "firewall_backend = iptables", "log_level=debug"));
        assertEquals("iptables", c.firewallBackend());
        assertEquals("DEBUG", c.logLevel());
        assertEquals("vnetd.conf:2: unknown setting 'firewal_backend' (known: firewall_backend, log_level, libvirt_protocol, sysfs_root)",
                assertThrows(VnetException.class, () -> ConfFile.parse("vnetd.conf", List.of("", "firewal_backend = x"))).getMessage());
        assertThrows(VnetException.class, () -> ConfFile.parse("f", List.of("firewall_backend = pf")));
        assertThrows(VnetException.class, () -> ConfFile.parse("f", List.of("just words")));
        assertTrue(c.libvirtProtocol(), "libvirt's protocol is served unless turned off");
        assertFalse(ConfFile.parse("f", List.of("libvirt_protocol = no")).libvirtProtocol());
        assertEquals("f:1: libvirt_protocol must be yes or no, not 'off'",
                assertThrows(VnetException.class, () -> ConfFile.parse("f", List.of("libvirt_protocol = off"))).getMessage());
        assertEquals(java.nio.file.Path.of("/sys"), c.sysfsRoot(), "SR-IOV VFs are read under /sys unless a test says otherwise");
        assertEquals(java.nio.file.Path.of("/tmp/sys"), ConfFile.parse("f", List.of("sysfs_root = /tmp/sys")).sysfsRoot());
        assertEquals("f:1: sysfs_root must be an absolute path, not 'sys'",
                assertThrows(VnetException.class, () -> ConfFile.parse("f", List.of("sysfs_root = sys"))).getMessage());
    }
}
