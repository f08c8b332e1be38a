package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vnetd.core.rpc.NetworkSummary;

/** Doctor tells when libvirt's network driver manages a bridge of one of vnetd's running networks too. */
class LibvirtBridgeCheckTest {
    static NetworkFacts network(String name, String bridge, boolean active) {
        return new NetworkFacts(new NetworkSummary(name, "u", active, true, false, bridge, null), "nat", List.of(), List.of(), List.of(),
                List.of());
    }

    @Test
    void aBridgeBothManageFailsNamingHowLibvirtShows() {
        List<Finding> f = new LibvirtBridgeCheck().run(new FakeHost().libvirtBridges(
                new HostProbe.LibvirtBridge("default", "virbr0", "its status /run/libvirt/network/default.xml"),
                new HostProbe.LibvirtBridge("default", "virbr0", "its dnsmasq (pid 812)"),
                new HostProbe.LibvirtBridge("other", "virbr7", "its dnsmasq (pid 813)")),
                List.of(network("default", "virbr0", true), network("lab", "virbr1", true), network("off", "virbr7", false)));
        assertEquals(1, f.size(), f.toString());
        assertEquals(Severity.FAIL, f.get(0).severity());
        assertEquals("bridge virbr0 of network 'default' is managed by libvirt's network driver too (libvirt's network 'default': its"
                + " status /run/libvirt/network/default.xml; libvirt's network 'default': its dnsmasq (pid 812))", f.get(0).summary());
        assertEquals("systemctl disable --now virtnetworkd.socket virtnetworkd-ro.socket virtnetworkd (or libvirtd); then vnetctl"
                + " import-libvirt --takeover, which moves libvirt's running networks to vnetd", f.get(0).fix());
    }

    @Test
    void aLibvirtBridgeInAFirewalldZoneWarnsThatTheTakeoverLeavesIt() {
        HostProbe host = new FakeHost().libvirtBridges(new HostProbe.LibvirtBridge("default", "virbr0", "its dnsmasq (pid 812)"),
                new HostProbe.LibvirtBridge("default", "virbr0", "its status /run/libvirt/network/default.xml"),
                new HostProbe.LibvirtBridge("lab", "virbr1", "its dnsmasq (pid 813)"))
                .firewalldZones(Map.of("virbr0", "libvirt", "eth0", "public"));
        List<Finding> f = new LibvirtFirewalldCheck().run(host, List.of());
        assertEquals(1, f.size(), f.toString());
        assertEquals(Severity.WARN, f.get(0).severity());
        assertEquals("bridge virbr0 of libvirt's network 'default' is in firewalld's zone 'libvirt'", f.get(0).summary());
        assertTrue(f.get(0).fix().startsWith("to move it to vnetd: systemctl disable --now firewalld"), f.get(0).fix());
        assertEquals(List.of(), new LibvirtFirewalldCheck().run(new FakeHost().libvirtBridges(
                new HostProbe.LibvirtBridge("default", "virbr0", "x")), List.of()), "no firewalld: nothing to say");
    }

    @Test
    void nothingOfLibvirtsSaysNothing() {
        assertEquals(List.of(), new LibvirtBridgeCheck().run(new FakeHost(), List.of(network("default", "virbr0", true))));
    }

    @Test
    void libvirtsFilesAreRead() {
        assertEquals(Optional.of("virbr0"), LibvirtFiles.interfaceOf("strict-order\npid-file=/run/libvirt/network/default.pid\n"
                + "except-interface=lo\nbind-dynamic\ninterface=virbr0\ndhcp-range=192.168.122.2,192.168.122.254,255.255.255.0\n"));
        assertEquals(Optional.of("virbr0"), LibvirtFiles.bridgeOfStatus("<networkstatus>\n  <class_id bitmap='0-2'/>\n  <floor sum='0'/>\n"
                + "  <network>\n    <name>default</name>\n    <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01</uuid>\n"
                + "    <bridge name='virbr0' stp='on' delay='0'/>\n  </network>\n</networkstatus>\n", "default.xml"));
    }
}
