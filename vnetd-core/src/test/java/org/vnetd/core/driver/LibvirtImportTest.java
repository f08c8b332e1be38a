package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.dhcp.ClientId;
import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.ImportJournal;
import org.vnetd.core.libvirtimport.ImportPlanner;
import org.vnetd.core.libvirtimport.LibvirtHost;
import org.vnetd.core.libvirtimport.LibvirtImport;
import org.vnetd.core.libvirtimport.LibvirtNetwork;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.rpc.ImportResult;
import org.vnetd.core.rpc.NetworkSummary;

/** libvirt's networks become vnetd's through the driver: all or nothing, clashes named, running ones taken over. */
class LibvirtImportTest {
    static String xml(String name, String uuidTail, String mode, String bridge, String subnet) {
        return "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST.\n-->\n"
                + "<network>\n  <name>" + name + "</name>\n  <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b" + uuidTail + "</uuid>\n"
                + (mode == null ? "" : "  <forward mode='" + mode + "'/>\n")
                + "  <bridge name='" + bridge + "' stp='on' delay='0'/>\n  <mac address='52:54:00:0a:0b:" + uuidTail.substring(2) + "'/>\n"
                + "  <ip address='" + subnet + ".1' netmask='255.255.255.0'>\n    <dhcp>\n      <range start='" + subnet
                + ".2' end='" + subnet + ".254'/>\n    </dhcp>\n  </ip>\n</network>\n";
    }

    static final String DEFAULT = xml("default", "1c01", "nat", "virbr0", "192.168.122");
    static final String LAB = xml("lab", "1c02", "route", "virbr1", "10.55.0");
    static final String OLD = xml("old", "1c03", null, "virbr2", "10.56.0");
    static final String TR = xml("tr", "1c04", "nat", "virbr3", "10.57.0");

    final FakeSystem sys = new FakeSystem();
    final NetworkDriver driver = sys.driver();
    final List<String> leaseImports = new ArrayList<>();
    final List<String> portImports = new ArrayList<>();
    final LibvirtImport importer = new LibvirtImport(driver, new ImportPlanner(sys),
            (bridge, leases) -> leaseImports.add(bridge + ":" + leases.size()), (network, xml) -> {
                if (xml.contains("bad")) {
                    throw new VnetException(ErrorCode.XML_PARSE, "bad port");
                }
                portImports.add(network + ":" + xml);
            });

    static DhcpLease lease(String ip, String mac) throws Exception {
        return new DhcpLease((Inet4Address) InetAddress.getByName(ip), ClientId.ofMac(MacAddress.parse(mac)), MacAddress.parse(mac),
                "g", Instant.ofEpochSecond(1_900_000_000L));
    }

    LibvirtHost host() throws Exception {
        sys.links.put("virbr0", "bridge");
        sys.links.put("virbr1", "bridge");
        sys.links.put("virbr3", "bridge");
        return new LibvirtHost(List.of(
                new LibvirtNetwork("default", DEFAULT, true, DEFAULT, Optional.of("/st/default.xml"), OptionalLong.of(11),
                        OptionalLong.empty(), Optional.of("/l/virbr0.status"),
                        List.of(lease("192.168.122.10", "52:54:00:00:00:01"), lease("192.168.122.11", "52:54:00:00:00:02")),
                        List.of("<networkport>p1</networkport>", "<networkport>bad</networkport>")),
                new LibvirtNetwork("lab", LAB, false, LAB, Optional.of("/st/lab.xml"), OptionalLong.of(12), OptionalLong.empty(),
                        Optional.empty(), List.of(), List.of()),
                new LibvirtNetwork("old", OLD, false, null, Optional.empty(), OptionalLong.empty(), OptionalLong.empty(),
                        Optional.of("/l/virbr2.status"), List.of(lease("10.56.0.9", "52:54:00:00:00:03")), List.of()),
                new LibvirtNetwork("tr", null, false, TR, Optional.of("/st/tr.xml"), OptionalLong.of(13), OptionalLong.empty(),
                        Optional.empty(), List.of(), List.of())));
    }

    @Test
    void aDryRunSaysWhatWouldHappenNetworkByNetworkAndDoesNothing() throws Exception {
        ImportResult r = importer.run(host(), true, true);
        assertTrue(r.dryRun());
        assertEquals(List.of("default", "lab", "old", "tr"), r.networks().stream().map(ImportResult.Network::name).toList());
        ImportResult.Network d = r.networks().getFirst();
        assertEquals("0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01", d.uuid());
        assertTrue(d.takenOver());
        assertEquals("define it as libvirt keeps it (uuid 0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01, bridge virbr0, mac 52:54:00:0a:0b:01)",
                d.steps().get(0));
        assertEquals("autostart it", d.steps().get(1));
        assertTrue(d.steps().contains("  adopt: create bridge virbr0 (stp on, delay 0 s)"), d.steps().toString());
        assertTrue(d.steps().stream().anyMatch(s -> s.startsWith("  release default on virbr0 from libvirt") && s.contains("pid 11")),
                d.steps().toString());
        assertEquals(List.of(), sys.log);
        assertEquals(List.of(), driver.list());
        assertEquals(List.of(), leaseImports);
    }

    @Test
    void takeoverDefinesEverythingAndTakesTheRunningNetworksOver() throws Exception {
        ImportResult r = importer.run(host(), true, false);
        assertFalse(r.dryRun());
        NetworkSummary d = driver.lookup("default");
        assertEquals("0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01", d.uuid());
        assertTrue(d.active() && d.persistent() && d.autostart(), d.toString());
        assertTrue(driver.lookup("lab").active());
        assertFalse(driver.lookup("lab").autostart());
        assertFalse(driver.lookup("old").active());
        NetworkSummary tr = driver.lookup("tr");
        assertTrue(tr.active() && !tr.persistent(), tr.toString());
        // the running networks' leases come with libvirt's letting go, the inactive one's at once
        assertEquals(List.of("virbr2:1"), leaseImports);
        List<String> defaults = sys.log.stream().filter(l -> l.contains("virbr0") || l.contains(" default")).toList();
        assertEquals("apply adopt: create bridge virbr0 (stp on, delay 0 s)", defaults.get(0));
        assertEquals("apply adopt: add address 192.168.122.1/24 to virbr0", defaults.get(1));
        assertEquals("apply firewall default", defaults.get(2));
        assertTrue(defaults.get(3).startsWith("apply release default on virbr0 from libvirt"), defaults.toString());
        assertEquals("apply dhcp default", defaults.get(4));
        // libvirt's port records of running guests are vnetd's; one that cannot be is said
        assertEquals(List.of("default:<networkport>p1</networkport>"), portImports);
        assertTrue(r.networks().getFirst().steps().getLast().startsWith("a port libvirt recorded was not: "), r.toString());
        // its live XML counts vnetd's ports, as libvirt's counted libvirt's
        driver.countPortsWith((network, uuid) -> network.equals("default") ? 1 : 0);
        assertTrue(driver.getXml("default", false).startsWith("<network connections='1'>"), driver.getXml("default", false));
        assertTrue(driver.getXml("default", true).startsWith("<network>"));
        assertTrue(driver.getXml("lab", false).startsWith("<network>"));
        // the XML as libvirt has it: uuid, bridge and MAC kept
        assertTrue(driver.getXml("default", true).contains("<mac address='52:54:00:0a:0b:01'/>"));
        // again: nothing to do, nothing refused
        ImportResult again = importer.run(host(), true, false);
        assertEquals(List.of("already-vnetd", "already-vnetd", "already-vnetd", "already-vnetd"),
                again.networks().stream().map(ImportResult.Network::outcome).toList());
    }

    @Test
    void aBridgeInAFirewalldZoneIsNotTakenOverAndSaysWhy() throws Exception {
        LibvirtHost plain = host();
        // libvirt's firewalld backend put default's and tr's bridges in its zone
        LibvirtHost host = new LibvirtHost(plain.networks(), Map.of("virbr0", "libvirt", "virbr3", "libvirt", "eth0", "public"));
        ImportResult r = importer.run(host, true, false);
        ImportResult.Network d = r.networks().getFirst();
        assertFalse(d.takenOver(), r.toString());
        assertEquals("imported", d.outcome(), "defined, as without --takeover");
        assertTrue(d.steps().stream().anyMatch(s -> s.startsWith("firewalld has virbr0 in its zone 'libvirt' (libvirt's firewalld backend): "
                + "not taken over, it stays libvirt's") && s.contains("stop firewalld")), d.steps().toString());
        assertFalse(driver.lookup("default").active(), "libvirt still runs it");
        assertTrue(driver.lookup("default").persistent());
        assertEquals("skipped", r.networks().get(3).outcome(), "a transient one in a zone is not imported at all");
        assertTrue(driver.lookup("lab").active(), "lab's bridge is in no zone: taken over");
        assertTrue(sys.log.stream().noneMatch(l -> l.contains("release default") || l.contains("release tr")), sys.log.toString());
    }

    @Test
    void aRunningNetworkWithWhatVnetdDoesNotApplyStaysLibvirtsAndTheOthersAreTakenOver() throws Exception {
        sys.links.put("virbr0", "bridge");
        String vepa = "<network>\n  <name>direct</name>\n  <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c05</uuid>\n"
                + "  <forward mode='vepa'>\n    <interface dev='eth1'/>\n  </forward>\n"
                + "  <virtualport type='802.1Qbg'>\n    <parameters managerid='11' typeid='1193047' typeidversion='2'/>\n  </virtualport>\n"
                + "</network>\n";
        LibvirtHost host = new LibvirtHost(List.of(
                new LibvirtNetwork("direct", vepa, true, vepa, Optional.of("/st/direct.xml"), OptionalLong.empty(), OptionalLong.empty(),
                        Optional.empty(), List.of(), List.of()),
                new LibvirtNetwork("default", DEFAULT, true, DEFAULT, Optional.of("/st/default.xml"), OptionalLong.of(11),
                        OptionalLong.empty(), Optional.of("/l/virbr0.status"), List.of(), List.of())));
        ImportResult r = importer.run(host, true, false);
        java.util.Map<String, ImportResult.Network> byName = new java.util.HashMap<>();
        r.networks().forEach(x -> byName.put(x.name(), x));
        // vnetd refuses to define what it does not apply: a persistent one is not imported either
        assertEquals("skipped", byName.get("direct").outcome());
        assertFalse(byName.get("direct").takenOver());
        assertTrue(byName.get("default").takenOver());
        assertTrue(byName.get("direct").steps().contains("its definition uses what vnetd does not apply yet (<virtualport type='802.1Qbg'>): "
                + "not imported, it stays libvirt's and keeps running there"), byName.get("direct").steps().toString());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.lookup("direct")).code());
        assertTrue(sys.log.stream().noneMatch(l -> l.contains("release direct")), sys.log.toString());
        assertTrue(driver.lookup("default").active(), "the network after them is still taken over");
    }

    @Test
    void withoutTakeoverRunningNetworksAreDefinedNotStartedAndTransientOnesSkipped() throws Exception {
        ImportResult r = importer.run(host(), false, false);
        assertFalse(driver.lookup("default").active());
        assertTrue(driver.lookup("default").autostart());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.lookup("tr")).code());
        assertEquals("skipped", r.networks().get(3).outcome());
        assertEquals(List.of("virbr0:2", "virbr2:1"), leaseImports);
        assertTrue(sys.log.isEmpty(), sys.log.toString());
    }

    @Test
    void clashesWithVnetdsOwnNetworksRefuseTheWholeImportNamingEachClash() throws Exception {
        driver.define(xml("default", "9999", "nat", "virbr9", "192.168.200"));
        driver.define(xml("mine", "9998", "nat", "virbr1", "192.168.201"));
        VnetException e = assertThrows(VnetException.class, () -> importer.run(host(), true, false));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().startsWith("nothing imported: "), e.getMessage());
        assertTrue(e.getMessage().contains("name 'default' is vnetd's network already"), e.getMessage());
        assertTrue(e.getMessage().contains("bridge 'virbr1' of libvirt's network 'lab' is the bridge of vnetd's network 'mine'"), e.getMessage());
        assertEquals(List.of("default", "mine"), driver.list().stream().map(NetworkSummary::name).toList());
        assertEquals(List.of(), leaseImports);
        assertTrue(sys.log.isEmpty(), sys.log.toString());
    }

    @Test
    void aFailedTakeoverLeavesLibvirtsNetworkAsItWasAndUndefinesWhatIsNotMoved() throws Exception {
        sys.failures.put("dhcp lab", new VnetException(ErrorCode.DHCP, "port 67 is taken"));
        VnetException e = assertThrows(VnetException.class, () -> importer.run(host(), true, false));
        assertEquals(ErrorCode.DHCP, e.code());
        assertTrue(e.getMessage().contains("taking over network 'lab' failed, it was given back to libvirt as libvirt ran it; lab, tr stay libvirt's"),
                e.getMessage());
        assertTrue(e.getMessage().contains("taken over already: default"), e.getMessage());
        assertTrue(driver.lookup("default").active());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.lookup("lab")).code());
        // rolled back (the daemon's effects leave an adopted bridge as they found it: KernelActionsTakeoverTest)
        assertTrue(sys.log.contains("undo firewall lab"), sys.log.toString());
        assertTrue(driver.lookup("old").persistent(), "an inactive network's import is complete");
    }

    @Test
    void theNetworksBeingDefinedAreOnRecordUntilTheImportEndsDoneOrUndone() throws Exception {
        List<String> journal = new ArrayList<>();
        ImportJournal recording = new ImportJournal() {
            @Override
            public void defining(List<String> networks) {
                // on record before the first definition: a daemon dying after it finds them at its next start
                assertEquals(List.of(), driver.list(), "nothing defined yet");
                journal.add("defining " + networks);
            }

            @Override
            public void ended() {
                journal.add("ended");
            }
        };
        LibvirtImport recorded = new LibvirtImport(driver, new ImportPlanner(sys), (bridge, leases) -> { }, (network, xml) -> { }, recording);
        sys.failures.put("dhcp lab", new VnetException(ErrorCode.DHCP, "port 67 is taken"));
        assertThrows(VnetException.class, () -> recorded.run(host(), true, false));
        assertEquals(List.of("defining [default, lab, old]", "ended"), journal);
        journal.clear();
        recorded.run(host(), false, true);
        assertEquals(List.of(), journal, "a dry run defines nothing");
    }
}
