package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.PrivateOpenVswitch;
import org.vnetd.testing.TestNetns;

/**
 * Open vSwitch ports through libvirt's real QEMU driver: {@code bench/interop/virtqemud --ovs} (the harness of
 * {@link VirtqemudDomainNetnsTest}, with a private Open vSwitch in its mount namespace) starts a QEMU domain whose
 * {@code <interface type='network'>} is on a vnetd network of an OVS bridge ({@code <virtualport type='openvswitch'>},
 * a portgroup with VLAN 42). virtqemud gets the port from vnetd and plugs the tap into the switch itself, as it does
 * with libvirt's network driver: the tap is a port of the bridge with libvirt's external-ids (the domain's MAC and
 * uuid, the interfaceid of vnetd's port) and tag 42; {@code virsh destroy} takes it off the switch and deletes the
 * port in vnetd.
 */
@Tag("qemu")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VirtqemudOvsNetnsTest {
    @Test
    void aQemuDomainOfVirtqemudIsPluggedIntoOpenVswitchThroughVnetd(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft", "virsh", "qemu-system-x86_64", "busybox", "unshare", VirtqemudDomainNetnsTest.VIRTQEMUD.toString());
        NetnsSupport.require(PrivateOpenVswitch.COMMANDS);
        Path vnetd = dir.resolve("vnetd");
        Files.writeString(vnetd, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:TieredStopAtLevel=1"
                + " -cp '" + System.getProperty("java.class.path") + "' org.vnetd.daemon.Main \"$@\"\n");
        Files.setPosixFilePermissions(vnetd, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TestNetns ns = TestNetns.create("iqovs"); TestNetns up = TestNetns.create("iqovsup")) {
            Exec.Result r = Exec.run(Duration.ofMinutes(8), null, List.of("env", "VNETD_BIN=" + vnetd,
                    "VIRTQEMUD_BIN=" + VirtqemudDomainNetnsTest.VIRTQEMUD, VirtqemudDomainNetnsTest.SCRIPT.toString(), "--ovs",
                    "--ns", ns.name(), "--up", up.name()));
            String out = r.stdout() + r.stderr();
            assertEquals(0, r.exitCode(), out);
            assertTrue(out.contains("<virtualport type='openvswitch'>"), "vnetd's port carries the profile:\n" + out);
            assertTrue(out.endsWith("OK: a QEMU domain of virtqemud is on an Open vSwitch bridge through vnetd\n"), out);
        }
    }
}
