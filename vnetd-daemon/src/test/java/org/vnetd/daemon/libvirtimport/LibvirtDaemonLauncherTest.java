package org.vnetd.daemon.libvirtimport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;
import org.vnetd.testing.Exec;

/**
 * A network given back to libvirt gets its dnsmasq started by systemd, outside vnetd's unit, when vnetd runs
 * as a systemd unit, and by vnetd otherwise; the command is exactly what systemd-run needs.
 */
class LibvirtDaemonLauncherTest {
    @Test
    void systemdStartsItOnlyWhenItIsInitAndVnetdOneOfItsUnits(@TempDir Path dir) throws Exception {
        Path runtime = dir.resolve("run-systemd-system");
        Map<String, String> underUnit = Map.of("INVOCATION_ID", "0123456789abcdef0123456789abcdef");
        assertInstanceOf(LibvirtDaemonLauncher.Direct.class, LibvirtDaemonLauncher.detect(underUnit, runtime), "no systemd as init");
        Files.createDirectory(runtime);
        assertInstanceOf(LibvirtDaemonLauncher.TransientUnit.class, LibvirtDaemonLauncher.detect(underUnit, runtime));
        assertInstanceOf(LibvirtDaemonLauncher.Direct.class, LibvirtDaemonLauncher.detect(Map.of(), runtime), "run by hand on a systemd host");
        assertInstanceOf(LibvirtDaemonLauncher.Direct.class, LibvirtDaemonLauncher.detect(Map.of("INVOCATION_ID", ""), runtime));
    }

    @Test
    void theTransientUnitIsAForkingServiceCollectedWhenItEnds() {
        List<String> daemon = List.of("env", "-i", "VIR_BRIDGE_NAME=virbr0", "/usr/sbin/dnsmasq",
                "--conf-file=/var/lib/libvirt/dnsmasq/default.conf", "--leasefile-ro", "--dhcp-script=/usr/lib/libvirt/libvirt_leaseshelper");
        List<String> expected = new ArrayList<>(List.of("systemd-run", "--unit=vnetd-gave-back-dnsmasq-default-4242.service",
                "--description=libvirt's dnsmasq of network default, given back by vnetd", "--collect", "--quiet", "--no-ask-password",
                "--property=Type=forking", "--"));
        expected.addAll(daemon);
        assertEquals(expected, new LibvirtDaemonLauncher.TransientUnit().command("default", "dnsmasq", 4242, daemon));
        assertEquals(daemon, new LibvirtDaemonLauncher.Direct().command("default", "dnsmasq", 4242, daemon));
    }

    @Test
    void networkNamesAreEscapedAsSystemdEscapeDoes() {
        for (String name : List.of("default", "my net/x", ".hidden", "ünï-x_y:z.w", "a-b", "lab\\1")) {
            String systemd = Exec.run("systemd-escape", "--", name).orThrow().stdout().trim();
            assertEquals(systemd, LibvirtDaemonLauncher.TransientUnit.escape(name), name);
        }
    }

    @Test
    void libvirtsDnsmasqIsStartedThroughTheLauncherWithLibvirtsArgumentsAndEnvironment() throws Exception {
        long pid = LibvirtDaemonsTest.fakeDnsmasq("vnt-launch");
        List<List<String>> ran = new ArrayList<>();
        CommandRunner recording = (argv, stdin) -> {
            ran.add(argv);
            return new CommandResult(argv, 0, "", "");
        };
        try {
            LibvirtDaemonRun run = LibvirtDaemonRun.of(pid, "dnsmasq", "/vnt-launch.conf", null, Map.of("VIR_BRIDGE_NAME", "virbr7")).orElseThrow();
            run.start(recording, new LibvirtDaemonLauncher.TransientUnit(), "vnt-launch", Optional.empty());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertEquals(List.of(List.of("systemd-run", "--unit=vnetd-gave-back-dnsmasq-vnt\\x2dlaunch-" + pid + ".service",
                "--description=libvirt's dnsmasq of network vnt-launch, given back by vnetd", "--collect", "--quiet", "--no-ask-password",
                "--property=Type=forking", "--", "env", "-i", "VIR_BRIDGE_NAME=virbr7", "dnsmasq", "-e", "sleep 120", "--",
                "--conf-file=/var/lib/libvirt/dnsmasq/vnt-launch.conf")), ran);
    }
}
