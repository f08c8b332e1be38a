package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * libvirt's real QEMU driver uses vnetd as its network daemon: {@code bench/interop/virtqemud} runs libvirt's
 * {@code virtqemud} (built from Debian's libvirt source by {@code scripts/build-virtqemud}, which
 * {@code scripts/setup} runs; it loads Debian's own QEMU driver) and this build's vnetd in one private mount
 * namespace, where virtqemud finds vnetd at libvirt's {@code /run/libvirt/virtnetworkd-sock}, and starts a QEMU
 * (TCG) domain with {@code <interface type='network'><source network='default'/>}. The script fails at the
 * first check that does not hold; this test owns its two network namespaces and reads the transcript: the
 * domain's tap on vnetd's virbr0, its port in vnetd with the domain's MAC, a lease from vnetd and HTTP to an
 * upstream namespace through NAT, the port kept across a vnetd restart and a virtqemud restart, RECLAIM after
 * the port was lost, and gone after {@code virsh destroy}.
 *
 * <p>Debian's monolithic libvirtd cannot stand in for virtqemud: inside a monolithic daemon libvirt's remote
 * driver declines {@code network:///system} ({@code remoteConnectOpen}: "if we are running monolithic
 * libvirtd … consider even un-registered drivers as local"), so its QEMU driver never reaches another network
 * daemon.
 */
@Tag("qemu")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VirtqemudDomainNetnsTest {
    static final Path SCRIPT = Path.of("../bench/interop/virtqemud");
    static final Path VIRTQEMUD = Path.of(System.getenv().getOrDefault("VNETD_VIRTQEMUD", "/var/tmp/vnetd-virtqemud/virtqemud"));

    @Test
    void aQemuDomainOfVirtqemudGetsItsPortLeaseAndNatFromVnetd(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft", "virsh", "qemu-system-x86_64", "busybox", "unshare", VIRTQEMUD.toString());
        Path vnetd = dir.resolve("vnetd");
        Files.writeString(vnetd, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1"
                + " -cp '" + System.getProperty("java.class.path") + "' org.vnetd.daemon.Main \"$@\"\n");
        Files.setPosixFilePermissions(vnetd, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestNetns ns = TestNetns.create("iq"); TestNetns up = TestNetns.create("iqup")) {
            Exec.Result r = Exec.run(Duration.ofMinutes(8), null, List.of("env", "VNETD_BIN=" + vnetd,
                    "VIRTQEMUD_BIN=" + VIRTQEMUD, SCRIPT.toString(), "--ns", ns.name(), "--up", up.name()));
            String out = r.stdout() + r.stderr();
            assertEquals(0, r.exitCode(), out);
            Matcher port = Pattern.compile("port ([0-9a-f-]{36}) registered for its client's tap on virbr0 of network default")
                    .matcher(out);
            assertTrue(port.find(), "virtqemud's port create reached vnetd:\n" + out);
            String uuid = port.group(1);
            assertTrue(out.contains("vnet0       network   default   virtio   52:54:00:69:0e:01"), out);
            assertTrue(Pattern.compile("VNT-DHCP 192\\.168\\.122\\.\\d+ router 192\\.168\\.122\\.1").matcher(out).find(),
                    "the guest's lease from vnetd:\n" + out);
            assertTrue(Pattern.compile("VNT-HTTP \\d+ hello-from-upstream").matcher(out).find(), "upstream reached through NAT:\n" + out);
            assertTrue(out.contains("PortRecovery: kept port " + uuid), "the port survived vnetd's restart:\n" + out);
            assertTrue(out.contains("port " + uuid + " reclaimed for its client's tap on virbr0"), "RECLAIM:\n" + out);
            assertTrue(out.endsWith("OK: a QEMU domain of virtqemud used vnetd as its network daemon\n"), out);
        }
    }
}
