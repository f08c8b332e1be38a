package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.NetworkProcedures;
import org.vnetd.daemon.libvirt.proc.PortProcedures;
import org.vnetd.daemon.libvirt.proc.RemoteNetwork;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * Ports of device pools as libvirt's clients see them (virsh here, virtqemud for real guests): net-port-create gives a
 * port of a hostdev network a VF of the PF as {@code <plug type='hostdev-pci'>} and a port of a macvtap network a host
 * interface as {@code <plug type='direct'>}, one VF per port, with libvirt's error when none is left. The VFs are a
 * sysfs tree the test builds ({@code sysfs_root}): these machines have no SR-IOV NIC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PoolPortsVirshNetnsTest {
    private static final int MAX = RemoteNetwork.STRING_MAX;
    private TestNetns ns;
    private VnetdProcess vnetd;
    private Path dir;
    private String rw;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft", "virsh");
        ns = TestNetns.create("poolvirsh");
        dir = Files.createDirectory(tmp.resolve("vnetd"));
        Path sys = tmp.resolve("sys");
        pf(sys, "vnt-pf0", "0000:03:10.0", "vnt-vf0", "0000:03:10.2", null, "0000:03:10.4", "vnt-vf2");
        Files.createDirectories(sys.resolve("class/net/vnt-pf1/device")); // a PF without VFs
        for (String pf : List.of("vnt-pf0", "vnt-pf1")) {
            ns.execOk("ip", "link", "add", pf, "type", "veth", "peer", "name", pf + "p");
        }
        Path conf = tmp.resolve("vnetd.conf");
        Files.writeString(conf, "sysfs_root = " + sys + "\n");
        vnetd = new VnetdProcess(ns, dir, "INFO").start(() -> DaemonRpc.answers(dir.resolve("run"))
                && Files.exists(dir.resolve("run/libvirt").resolve(LibvirtServer.SOCKET)), "--no-default-network", "--config-file",
                conf.toString());
        rw = "network:///system?socket=" + vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET);
    }

    /** {@code SYS/class/net/PF/device/virtfnN} → the VF's PCI directory, with {@code net/NAME} when a name is given. */
    private static void pf(Path sys, String pf, String... vfs) throws Exception {
        Path device = Files.createDirectories(sys.resolve("class/net").resolve(pf).resolve("device"));
        for (int i = 0; i < vfs.length; i += 2) {
            Path pci = Files.createDirectories(sys.resolve("bus/pci/devices").resolve(vfs[i]));
            if (vfs[i + 1] != null) {
                Files.createDirectories(pci.resolve("net").resolve(vfs[i + 1]));
            }
            Files.createSymbolicLink(device.resolve("virtfn" + (i / 2)), device.relativize(pci));
        }
    }

    @AfterAll
    void stop() {
        if (vnetd != null) {
            vnetd.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private Exec.Result virsh(String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-q", "-c", rw));
        argv.addAll(List.of(args));
        return Exec.run(argv.toArray(String[]::new));
    }

    private String ok(String... args) {
        Exec.Result r = virsh(args);
        assertEquals(0, r.exitCode(), () -> "virsh " + String.join(" ", args) + " failed: " + r.stderr() + "\n" + vnetd.log());
        return r.stdout();
    }

    private void createNetwork(String name, String xml) throws Exception {
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, xml);
        ok("net-create", file.toString());
    }

    private Exec.Result createPort(String network, int n) throws Exception {
        Path file = dir.resolve(network + "-port" + n + ".xml");
        Files.writeString(file, String.format("<networkport><uuid>8d7c3a1e-5b2f-4c6d-9e0a-%012d</uuid><owner><name>guest%d</name>"
                + "<uuid>11111111-2222-3333-4444-%012d</uuid></owner><mac address='52:54:00:aa:00:%02x'/></networkport>", n, n, n, n));
        return virsh("net-port-create", network, file.toString());
    }

    private String plugOf(String network, int n) {
        String xml = ok("net-port-dumpxml", network, String.format("8d7c3a1e-5b2f-4c6d-9e0a-%012d", n));
        int from = xml.indexOf("<plug");
        int to = xml.indexOf("</networkport>");
        return xml.substring(from, to).replaceAll("\\s*\n\\s*", "");
    }

    @Test
    void hostdevPortsGetTheVfsOfThePfOneEach() throws Exception {
        createNetwork("hd", "<network><name>hd</name><forward mode='hostdev' managed='yes'><driver name='vfio'/>"
                + "<pf dev='vnt-pf0'/></forward></network>");
        try {
            for (int n = 1; n <= 3; n++) {
                assertEquals(0, createPort("hd", n).exitCode());
            }
            assertEquals("<plug type='hostdev-pci' managed='yes'><driver name='vfio'/>"
                    + "<address domain='0x0000' bus='0x03' slot='0x10' function='0x0'/></plug>", plugOf("hd", 1));
            assertTrue(plugOf("hd", 2).contains("function='0x2'"), "a VF without a net driver is a PCI device all the same");
            assertTrue(plugOf("hd", 3).contains("function='0x4'"), plugOf("hd", 3));
            Exec.Result none = createPort("hd", 4);
            assertNotEquals(0, none.exitCode());
            assertTrue(none.stderr().contains("error: internal error: network 'hd' requires exclusive access to interfaces, but none are available"),
                    none.stderr());
            reclaimsAreCheckedAgainstThePool();
            ok("net-port-delete", "hd", "8d7c3a1e-5b2f-4c6d-9e0a-000000000002");
            assertEquals(0, createPort("hd", 5).exitCode());
            assertTrue(plugOf("hd", 5).contains("function='0x2'"), "the released VF is given out again");
        } finally {
            virsh("net-destroy", "hd");
        }
    }

    /**
     * virtqemud restarted with running guests registers their ports again (RECLAIM, which virsh cannot send):
     * networkNotifyPort takes a VF of the pool that no other port holds, and refuses the others with libvirt's words.
     */
    private void reclaimsAreCheckedAgainstThePool() throws Exception {
        try (RawLibvirtClient c = new RawLibvirtClient(vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET))) {
            c.call(ConnectProcedures.AUTH_LIST, w -> {
            });
            c.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.<String>empty(), (x, v) -> x.writeString(v, 1))
                    .writeUnsignedInt(0));
            RemoteNetwork n = RemoteNetwork.read(c.call(NetworkProcedures.NETWORK_LOOKUP_BY_NAME, w -> w.writeString("hd", MAX)));
            RemoteError held = c.fail(PortProcedures.NETWORK_PORT_CREATE_XML, w -> reclaim(w, n, "0x0"));
            assertTrue(held.message().equals("internal error: network 'hd' claims the PCI device at domain=0 bus=3 slot=16 function=0 is "
                    + "already in use by a different network port"), held.toString());
            RemoteError foreign = c.fail(PortProcedures.NETWORK_PORT_CREATE_XML, w -> reclaim(w, n, "0x6"));
            assertTrue(foreign.message().equals("internal error: network 'hd' doesn't have PCI device 0000:03:10.6 in use by network port"),
                    foreign.toString());
        }
    }

    private static void reclaim(XdrWriter w, RemoteNetwork n, String function) {
        RemoteNetwork.put(w, n);
        w.writeString("<networkport><uuid>8d7c3a1e-5b2f-4c6d-9e0a-0000000000e0</uuid><owner><name>g</name>"
                + "<uuid>11111111-2222-3333-4444-0000000000e0</uuid></owner><mac address='52:54:00:aa:00:e0'/>"
                + "<plug type='hostdev-pci' managed='yes'><address domain='0x0000' bus='0x03' slot='0x10' function='" + function + "'/>"
                + "</plug></networkport>", MAX);
        w.writeUnsignedInt(1); // VIR_NETWORK_PORT_CREATE_RECLAIM
    }

    @Test
    void macvtapPortsOfAPfGetItsVfsInterfacesTheLeastUsedFirst() throws Exception {
        createNetwork("vf", "<network><name>vf</name><forward mode='vepa'><pf dev='vnt-pf0'/></forward></network>");
        try {
            for (int n = 11; n <= 13; n++) {
                assertEquals(0, createPort("vf", n).exitCode());
            }
            assertEquals("<plug type='direct' dev='vnt-vf0' mode='vepa'/>", plugOf("vf", 11));
            assertEquals("<plug type='direct' dev='vnt-vf2' mode='vepa'/>", plugOf("vf", 12), "the VF without a net driver is left out");
            assertEquals("<plug type='direct' dev='vnt-vf0' mode='vepa'/>", plugOf("vf", 13));
            assertEquals("", ns.execOk("ip", "-o", "link", "show", "type", "macvtap"), "virtqemud makes the macvtap, not vnetd");
            Path floor = dir.resolve("floor-port.xml");
            Files.writeString(floor, "<networkport><uuid>8d7c3a1e-5b2f-4c6d-9e0a-00000000f100</uuid><owner><name>g</name>"
                    + "<uuid>11111111-2222-3333-4444-00000000f100</uuid></owner><mac address='52:54:00:aa:f1:00'/>"
                    + "<bandwidth><inbound average='1000' floor='500'/></bandwidth></networkport>");
            Exec.Result refused = virsh("net-port-create", "vf", floor.toString());
            assertTrue(refused.stderr().contains("Invalid use of 'floor' on interface with MAC address 52:54:00:aa:f1:00 - 'floor' is only "
                    + "supported for interface type 'network' with forward type 'nat', 'route', 'open' or none"), refused.stderr());
            assertEquals(3, ok("net-port-list", "vf").lines().filter(l -> !l.isBlank()).count(), "the refused port is not recorded");
        } finally {
            virsh("net-destroy", "vf");
        }
    }

    @Test
    void aPfWithoutVfsIsRefusedAtStartWithLibvirtsError() throws Exception {
        Path file = dir.resolve("novf.xml");
        Files.writeString(file, "<network><name>novf</name><forward mode='hostdev'><pf dev='vnt-pf1'/></forward></network>");
        Exec.Result r = virsh("net-create", file.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("internal error: No usable Vf's present on SRIOV PF vnt-pf1"), r.stderr());
        Files.writeString(file, "<network><name>nodev</name><forward mode='passthrough'><interface dev='vnt-nothere'/></forward></network>");
        r = virsh("net-create", file.toString());
        assertTrue(r.stderr().contains("forward device 'vnt-nothere' of network 'nodev' does not exist"), r.stderr());
    }
}
