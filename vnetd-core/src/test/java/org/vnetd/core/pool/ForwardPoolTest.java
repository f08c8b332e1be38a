package org.vnetd.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.port.Plug;
import org.vnetd.core.port.VirtualPort;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/** libvirt's networkAllocatePort and networkNotifyPort for the macvtap and hostdev pools. */
class ForwardPoolTest {
    private static final String UUID = "<uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>";
    private static final VirtualFunctions NO_VFS = pf -> {
        throw new AssertionError("the VFs of " + pf + " were asked for");
    };

    private static NetworkDef net(String mode, String inner) {
        return NetworkXml.parse("<network><name>pool</name>" + UUID + "<forward mode='" + mode + "'>" + inner + "</forward></network>");
    }

    private static ForwardPool pool(String mode, String... devs) {
        StringBuilder b = new StringBuilder();
        for (String d : devs) {
            b.append("<interface dev='").append(d).append("'/>");
        }
        return ForwardPool.of(net(mode, b.toString()), NO_VFS);
    }

    private static PoolDevice dev(String name) {
        return new PoolDevice.NetDev(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "private", "vepa"})
    void sharedModesGiveTheLeastUsedDeviceFirstInPoolOrderOnTies(String mode) {
        ForwardPool p = pool(mode, "eth1", "eth2", "eth3");
        Map<PoolDevice, Integer> held = new HashMap<>();
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            PoolDevice d = p.allocate(held, Optional.empty());
            held.merge(d, 1, Integer::sum);
            got.add(d.toString());
        }
        assertEquals(List.of("eth1", "eth2", "eth3", "eth1", "eth2", "eth3", "eth1"), got);
        held.put(dev("eth2"), 0); // a port on eth2 was deleted twice over
        assertEquals(dev("eth2"), p.allocate(held, Optional.empty()));
        assertEquals(new Plug.Direct("eth2", mode), p.plug(dev("eth2")));
    }

    @Test
    void passthroughGivesEachDeviceToOnePortAndRefusesWithLibvirtsText() {
        ForwardPool p = pool("passthrough", "eth1", "eth2");
        Map<PoolDevice, Integer> held = new HashMap<>();
        assertEquals(dev("eth1"), p.allocate(held, Optional.empty()));
        held.put(dev("eth1"), 1);
        assertEquals(dev("eth2"), p.allocate(held, Optional.empty()));
        held.put(dev("eth2"), 1);
        VnetException e = assertThrows(VnetException.class, () -> p.allocate(held, Optional.empty()));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("internal error: network 'pool' requires exclusive access to interfaces, but none are available", e.getMessage());
        held.put(dev("eth1"), 0);
        assertEquals(dev("eth1"), p.allocate(held, Optional.empty()), "a released device is free again");
    }

    @Test
    void privateWithAn8021QbhProfileIsExclusive() {
        ForwardPool p = pool("private", "eth1");
        Map<PoolDevice, Integer> held = Map.of(dev("eth1"), 1);
        assertEquals(dev("eth1"), p.allocate(held, Optional.empty()));
        VirtualPort qbh = new VirtualPort(Optional.of("802.1Qbh"), List.of());
        assertThrows(VnetException.class, () -> p.allocate(held, Optional.of(qbh)));
    }

    @Test
    void aVirtualPortOtherThan8021QbgOrQbhIsRefused() {
        VirtualPort ovs = new VirtualPort(Optional.of("openvswitch"), List.of());
        VnetException e = assertThrows(VnetException.class, () -> pool("vepa", "eth1").allocate(Map.of(), Optional.of(ovs)));
        assertEquals("unsupported configuration: <virtualport type='openvswitch'> not supported for network 'pool' which uses a macvtap device",
                e.getMessage());
    }

    @Test
    void aDirectNetworkWithoutDevicesRefusesPortsWithLibvirtsText() {
        ForwardPool p = ForwardPool.of(NetworkXml.parse("<network><name>pool</name>" + UUID + "<forward mode='bridge'/></network>"), NO_VFS);
        VnetException e = assertThrows(VnetException.class, () -> p.allocate(Map.of(), Optional.empty()));
        assertEquals("internal error: network 'pool' uses a direct mode, but has no forward dev and no interface pool", e.getMessage());
    }

    @Test
    void aReclaimedPortMustHoldAPoolDeviceAndPassthroughOnlyAFreeOne() {
        ForwardPool p = pool("passthrough", "eth1", "eth2");
        assertEquals(dev("eth2"), p.claim(dev("eth2"), "u1", Map.of(dev("eth1"), 1), Optional.empty()));
        VnetException notOurs = assertThrows(VnetException.class, () -> p.claim(dev("eth9"), "u1", Map.of(), Optional.empty()));
        assertEquals("internal error: network 'pool' doesn't have dev='eth9' in use by network port 'u1'", notOurs.getMessage());
        VnetException taken = assertThrows(VnetException.class, () -> p.claim(dev("eth1"), "u1", Map.of(dev("eth1"), 1), Optional.empty()));
        assertEquals("internal error: network 'pool' claims dev='eth1' is already in use by a different port", taken.getMessage());
        assertEquals(dev("eth1"), pool("bridge", "eth1").claim(dev("eth1"), "u1", Map.of(dev("eth1"), 3), Optional.empty()),
                "shared modes take any number");
    }

    @Test
    void aPfsVfsWithANetdevAreTheMacvtapPool() {
        NetworkDef def = net("vepa", "<pf dev='enp3s0'/>");
        ForwardPool p = ForwardPool.of(def, pf -> {
            assertEquals("enp3s0", pf);
            return List.of(new VirtualFunction(PciAddress.ofSysfs("0000:03:10.0"), Optional.of("enp3s0v0")),
                    new VirtualFunction(PciAddress.ofSysfs("0000:03:10.2"), Optional.empty()),
                    new VirtualFunction(PciAddress.ofSysfs("0000:03:10.4"), Optional.of("enp3s0v2")));
        });
        assertEquals(List.of(dev("enp3s0v0"), dev("enp3s0v2")), p.devices(), "a VF without a net driver is in use elsewhere");
    }

    @Test
    void aPfWithoutUsableVfsIsRefusedWithLibvirtsText() {
        NetworkDef def = net("passthrough", "<pf dev='enp3s0'/>");
        VnetException e = assertThrows(VnetException.class,
                () -> ForwardPool.of(def, pf -> List.of(new VirtualFunction(PciAddress.ofSysfs("0000:03:10.0"), Optional.empty()))));
        assertEquals("internal error: No usable Vf's present on SRIOV PF enp3s0", e.getMessage());
    }

    @Test
    void hostdevGivesEachVfToOnePortAsAManagedPciPlug() {
        NetworkDef def = net("hostdev' managed='yes", "<driver name='vfio'/><pf dev='enp3s0'/>");
        ForwardPool p = ForwardPool.of(def, pf -> List.of(new VirtualFunction(PciAddress.ofSysfs("0000:03:10.0"), Optional.empty()),
                new VirtualFunction(PciAddress.ofSysfs("0000:03:10.2"), Optional.of("enp3s0v1"))));
        PoolDevice first = p.allocate(Map.of(), Optional.empty());
        assertEquals(new Plug.HostdevPci(Optional.of(true), Optional.of("vfio"), "0x0000", "0x03", "0x10", "0x0"), p.plug(first));
        PoolDevice second = p.allocate(Map.of(first, 1), Optional.empty());
        assertEquals("0000:03:10.2", second.toString());
        VnetException e = assertThrows(VnetException.class, () -> p.allocate(Map.of(first, 1, second, 1), Optional.empty()));
        assertTrue(e.getMessage().contains("requires exclusive access to interfaces, but none are available"), e.getMessage());
        assertEquals(first, PoolDevice.of(p.plug(first)).orElseThrow(), "a stored port's plug counts against its device");
    }

    @Test
    void anAddressListIsTheHostdevPoolAndUnmanagedIsSaid() {
        NetworkDef def = net("hostdev", "<address type='pci' domain='0x0000' bus='0x06' slot='0x12' function='0x1'/>"
                + "<address type='pci' domain='0' bus='6' slot='18' function='2'/>");
        ForwardPool p = ForwardPool.of(def, NO_VFS);
        assertEquals(List.of("0000:06:12.1", "0000:06:12.2"), p.devices().stream().map(PoolDevice::toString).toList());
        Plug plug = p.plug(p.devices().get(1));
        assertEquals(new Plug.HostdevPci(Optional.of(false), Optional.empty(), "0x0000", "0x06", "0x12", "0x2"), plug);
        VnetException e = assertThrows(VnetException.class,
                () -> p.claim(new PoolDevice.Pci(PciAddress.ofSysfs("0000:06:12.1")), "u", Map.of(p.devices().get(0), 1), Optional.empty()));
        assertTrue(e.getMessage().startsWith("internal error: network 'pool' claims the PCI device at domain=0 bus=6 slot=18 function=1"),
                e.getMessage());
    }

    @Test
    void onlyTheMacvtapAndHostdevModesUseAPool() {
        assertTrue(ForwardPool.usesPool(net("bridge", "<interface dev='eth1'/>")));
        assertFalse(ForwardPool.usesPool(NetworkXml.parse("<network><name>n</name>" + UUID
                + "<forward mode='bridge'/><bridge name='br0'/></network>")));
        assertEquals(List.of("eth1", "eth2"), ForwardPool.hostInterfaces(net("private", "<interface dev='eth1'/><interface dev='eth2'/>")));
        assertEquals(List.of("enp3s0"), ForwardPool.hostInterfaces(net("hostdev", "<pf dev='enp3s0'/>")));
    }
}
