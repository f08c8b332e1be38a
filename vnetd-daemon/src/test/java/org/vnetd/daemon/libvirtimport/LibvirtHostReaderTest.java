package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.LibvirtNetwork;
import org.vnetd.daemon.libvirt.LibvirtHostNetns;

/** libvirt's files as its network driver leaves them: definitions, autostart links, status and pid files, leases, ports. */
class LibvirtHostReaderTest {
    /** libvirt's {@code default} as its network driver stores the definition. */
    static final String DEFAULT = LibvirtHostNetns.CONFIG_HEADER + LibvirtHostNetns.DEFAULT;

    @TempDir
    Path dir;

    @Test
    void readsWhatLibvirtsNetworkDriverLeaves() throws Exception {
        Path config = Files.createDirectories(dir.resolve("etc/qemu/networks/autostart"));
        Path status = Files.createDirectories(dir.resolve("run/network"));
        Path ports = Files.createDirectories(status.resolve("default/ports"));
        Path leases = Files.createDirectories(dir.resolve("lib/dnsmasq"));
        String network = DEFAULT.substring(DEFAULT.indexOf("<network>"));
        Files.writeString(config.resolveSibling("default.xml"), DEFAULT);
        Files.createSymbolicLink(config.resolve("default.xml"), config.resolveSibling("default.xml"));
        Files.writeString(config.resolveSibling("old.xml"), DEFAULT.replace("default", "old").replace("virbr0", "virbr4")
                .replace("1c01", "1c04"));
        Files.writeString(status.resolve("default.xml"), "<networkstatus>\n  <class_id bitmap='0-2'/>\n  <floor sum='0'/>\n"
                + network.indent(2) + "</networkstatus>\n");
        Files.writeString(status.resolve("default.pid"), ProcessHandle.current().pid() + "\n"); // a live process
        Files.writeString(status.resolve("default-radvd.pid"), "999999999\n"); // gone
        Files.writeString(ports.resolve("7a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d.xml"), "<networkport>p</networkport>\n");
        Files.writeString(leases.resolve("virbr0.status"), """
                [
                  {
                    "ip-address": "192.168.122.45",
                    "mac-address": "52:54:00:11:22:33",
                    "hostname": "fedora",
                    "client-id": "01:52:54:00:11:22:33",
                    "expiry-time": 1893456000
                  }
                ]
                """);
        List<LibvirtNetwork> read = new LibvirtHostReader(dir.resolve("etc/qemu/networks"), dir.resolve("run/network"), leases).read()
                .networks();
        assertEquals(List.of("default", "old"), read.stream().map(LibvirtNetwork::name).toList());
        LibvirtNetwork d = read.getFirst();
        assertEquals(DEFAULT, d.configXml());
        assertTrue(d.autostart());
        assertTrue(d.liveXml().startsWith("<network>") && d.liveXml().endsWith("</network>"), d.liveXml());
        assertEquals(OptionalLong.of(ProcessHandle.current().pid()), d.dnsmasqPid());
        assertEquals(OptionalLong.empty(), d.radvdPid());
        assertEquals(Optional.of(leases.resolve("virbr0.status").toString()), d.leaseFile());
        assertEquals("fedora", d.leases().getFirst().hostname());
        assertEquals("01:52:54:00:11:22:33", d.leases().getFirst().clientId().toString());
        assertEquals(List.of("<networkport>p</networkport>\n"), d.ports());
        LibvirtNetwork old = read.get(1);
        assertFalse(old.autostart() || old.running());
        assertNull(old.liveXml());
        assertEquals(Optional.empty(), old.leaseFile());
    }

    @Test
    void noLibvirtAtAllIsSaid() {
        VnetException e = assertThrows(VnetException.class,
                () -> new LibvirtHostReader(dir.resolve("a"), dir.resolve("b"), dir.resolve("c")).read());
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("no libvirt networks to import"), e.getMessage());
    }
}
