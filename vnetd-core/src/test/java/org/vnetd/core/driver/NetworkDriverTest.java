package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.core.rpc.UpdateResult;

class NetworkDriverTest {
    private final FakeSystem sys = new FakeSystem();
    private final NetworkDriver driver = sys.driver();

    static String nat(String name, String third) {
        return "<network><name>" + name + "</name><forward mode='nat'/>"
                + "<ip address='192.168." + third + ".1' netmask='255.255.255.0'><dhcp><range start='192.168." + third
                + ".2' end='192.168." + third + ".254'/></dhcp></ip></network>";
    }

    private static final String DEFAULT_XML = """
            <network>
              <name>default</name>
              <bridge name='virbr0' stp='on' delay='0'/>
              <forward mode='nat'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    private Map<String, String> kernelSnapshot() {
        return new TreeMap<>(sys.links);
    }

    /**
     * A start stores its status once whole (the intent, before the first action) and then only its
     * completion: not the whole status a second time, the largest piece of a warm start's CPU.
     */
    @Test
    void aStartWritesItsIntentThenItsCompletion() {
        driver.define(nat("default", "122"));
        sys.statusWrites.clear();
        driver.start("default");
        assertEquals(List.of("intent default", "completion default"), sys.statusWrites);
        assertTrue(sys.statuses.get("default").complete());
    }

    @Test
    void theLiveXmlOfARunningNatNetworkShowsItsSourcePortRangeAsLibvirtDoes() {
        driver.define(DEFAULT_XML);
        driver.start("default");
        String live = driver.getXml("default", false);
        assertTrue(live.contains("""
                  <forward mode='nat'>
                    <nat>
                      <port start='1024' end='65535'/>
                    </nat>
                  </forward>
                """), live);
        assertTrue(driver.getXml("default", true).contains("<forward mode='nat'/>"), "the definition stays as written");
        driver.destroy("default");
        driver.define(nat("r", "102").replace("<forward mode='nat'/>", "<forward mode='route'/>"));
        driver.start("r");
        assertFalse(driver.getXml("r", false).contains("<nat>"), "only NAT networks");
    }

    @Test
    void defineAssignsUuidBridgeAndMac() {
        sys.links.put("virbr0", "bridge"); // someone else's
        NetworkSummary a = driver.define(nat("a", "100"));
        NetworkSummary b = driver.define(nat("b", "101"));
        assertEquals("virbr1", a.bridge(), "virbr0 exists in the kernel");
        assertEquals("virbr2", b.bridge());
        assertFalse(a.active());
        assertTrue(a.persistent());
        String xml = driver.getXml("a", true);
        assertTrue(xml.contains("<uuid>" + a.uuid() + "</uuid>"), xml);
        assertTrue(xml.contains("<mac address='52:54:00:"), xml);
        assertTrue(sys.defs.get("a").xml().contains(a.uuid()), "stored with its uuid");
        assertEquals(a.uuid(), driver.lookup(a.uuid()).uuid(), "lookup by uuid");
        assertEquals(List.of(NetworkEvent.DEFINED, NetworkEvent.DEFINED), sys.events.stream().map(NetworkEvent::detail).toList());
        // redefining keeps uuid, bridge and MAC
        NetworkSummary again = driver.define(nat("a", "100"));
        assertEquals(a.uuid(), again.uuid());
        assertEquals("virbr1", again.bridge());
        assertEquals(xml, driver.getXml("a", true));
    }

    @Test
    void redefiningWithoutAUuidKeepsTheOldOneWhateverTheXmlMentions() {
        NetworkSummary a = driver.define(nat("a", "100"));
        String inMetadata = nat("a", "100").replace("</network>",
                "<metadata><app:vm xmlns:app='http://example.org/app'><uuid>not the network's</uuid></app:vm></metadata></network>");
        assertEquals(a.uuid(), driver.define(inMetadata).uuid(), "a <uuid> inside <metadata> is not the network's");
        String inDefaultNamespace = nat("a", "100").replace("</network>",
                "<metadata><vm xmlns='http://example.org/app'><uuid>x</uuid></vm></metadata></network>");
        assertEquals(a.uuid(), driver.define(inDefaultNamespace).uuid());
        String inComment = nat("a", "100").replace("<forward", "<!-- no <uuid> given --><forward");
        assertEquals(a.uuid(), driver.define(inComment).uuid(), "a <uuid> inside a comment is not the network's");
        assertEquals(a.uuid(), driver.lookup("a").uuid());
    }

    @Test
    void creatingAgainWithoutAUuidKeepsTheDefinitionsUuid() {
        NetworkSummary a = driver.define(nat("a", "100"));
        String xml = nat("a", "100").replace("<forward", "<!-- <uuid> --><forward");
        assertEquals(a.uuid(), driver.create(xml).uuid());
    }

    @Test
    void theDefinitionIsReadableAsAModel() {
        NetworkSummary a = driver.define(nat("a", "100"));
        assertEquals(a.uuid(), driver.definition("a", true).getUuid());
        assertEquals(a.bridge(), driver.definition("a", false).bridgeName().orElseThrow());
        driver.start("a");
        assertEquals("1024", driver.definition("a", false).getForward().getNats().getFirst().getPorts().getFirst().getStart(),
                "the live definition");
        assertTrue(driver.definition("a", true).getForward().getNats().isEmpty(), "the persistent definition");
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.definition("nope", false)).code());
    }

    @Test
    void nameAndUuidClashesAreRefused() {
        NetworkSummary a = driver.define(nat("a", "100"));
        String other = nat("b", "101").replace("<name>b</name>", "<name>b</name><uuid>" + a.uuid() + "</uuid>");
        VnetException e = assertThrows(VnetException.class, () -> driver.define(other));
        assertEquals(ErrorCode.NETWORK_EXISTS, e.code());
        String sameName = nat("a", "100").replace("<name>a</name>", "<name>a</name><uuid>11111111-2222-3333-4444-555555555555</uuid>");
        assertEquals(ErrorCode.NETWORK_EXISTS, assertThrows(VnetException.class, () -> driver.define(sameName)).code());
        assertEquals(ErrorCode.XML_PARSE, assertThrows(VnetException.class, () -> driver.define("<network><name>x</name>")).code());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.start("nope")).code());
        assertEquals("Network not found: no network with matching name 'nope'",
                assertThrows(VnetException.class, () -> driver.lookup("nope")).getMessage());
    }

    @Test
    void anOvnNetworkStartsAsItsOneOvnActionWithNothingLocal() {
        String ovn = nat("o", "103").replace("<network>", "<network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>")
                .replace("</network>", "<vnetd:ovn northbound='tcp:10.0.0.1:6641' switch='ls-o' gatewayChassis='hv1' uplink='physnet'"
                        + " uplinkAddress='192.0.2.50/24'/></network>");
        NetworkSummary defined = driver.define(ovn);
        assertTrue(driver.getXml("o", true).contains("<vnetd:ovn northbound='tcp:10.0.0.1:6641' switch='ls-o'"), "the binding is stored");
        // libvirt's formatter writes <bridge stp delay> for every network of a bridged mode, with a name only when it has one
        assertTrue(driver.getXml("o", true).contains("<bridge stp='on' delay='0'/>"), "no bridge name made up for a bridge this "
                + "host never makes: " + driver.getXml("o", true));
        assertNull(defined.bridge());
        driver.define(ovn);
        assertFalse(driver.getXml("o", true).contains("<bridge name="), "nor at a redefinition");
        sys.log.clear();
        driver.start("o");
        assertEquals(List.of("apply join ovn logical switch ls-o of o at tcp:10.0.0.1:6641"), sys.log,
                "no local bridge, address, firewall or DHCP in its place");
        assertTrue(sys.links.isEmpty());
        assertTrue(driver.lookup("o").active());
        driver.destroy("o");
        assertEquals(List.of("apply join ovn logical switch ls-o of o at tcp:10.0.0.1:6641",
                "undo join ovn logical switch ls-o of o at tcp:10.0.0.1:6641"), sys.log);
        assertTrue(sys.statuses.isEmpty());
    }

    @Test
    void anOvnNatNetworkWithoutItsWayOutIsRefusedAndNothingIsApplied() {
        String ovn = nat("o", "103").replace("<network>", "<network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>")
                .replace("</network>", "<vnetd:ovn northbound='tcp:10.0.0.1:6641'/></network>");
        driver.define(ovn);
        sys.log.clear();
        VnetException e = assertThrows(VnetException.class, () -> driver.start("o"));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertTrue(e.getMessage().contains("lacks uplink, uplinkAddress, gatewayChassis"), e.getMessage());
        assertEquals(List.of(), sys.log, "never a local bridge instead");
        assertTrue(sys.statuses.isEmpty(), "no intent record left behind");
        assertFalse(driver.lookup("o").active());
        e = assertThrows(VnetException.class, () -> driver.create(ovn.replace("<name>o</name>", "<name>t</name>")
                .replace("192.168.103.", "192.168.104.")));
        assertEquals(ErrorCode.XML_VALIDATION, e.code());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.lookup("t")).code(),
                "a transient OVN network is not left behind");
    }

    @Test
    void startAppliesStepsAndDestroyUndoesThemInReverse() {
        driver.define(DEFAULT_XML);
        driver.start("default");
        assertEquals(List.of("apply bridge virbr0", "apply address 192.168.122.1/24", "apply firewall default", "apply dhcp default"), sys.log);
        assertTrue(driver.lookup("default").active());
        NetworkStatus st = sys.statuses.get("default");
        assertTrue(st.complete());
        assertEquals(4, st.applied().size());
        assertEquals(ErrorCode.NETWORK_ACTIVE, assertThrows(VnetException.class, () -> driver.start("default")).code());
        sys.log.clear();
        driver.destroy("default");
        assertEquals(List.of("undo dhcp default", "undo firewall default", "undo address 192.168.122.1/24", "undo bridge virbr0"), sys.log);
        assertFalse(driver.lookup("default").active());
        assertTrue(sys.statuses.isEmpty());
        assertTrue(sys.links.isEmpty());
        VnetException e = assertThrows(VnetException.class, () -> driver.destroy("default"));
        assertEquals(ErrorCode.NETWORK_INACTIVE, e.code());
        assertEquals("Requested operation is not valid: network 'default' is not active", e.getMessage());
        assertEquals(List.of("Defined", "Started", "Stopped"), sys.events.stream().map(NetworkEvent::detail).toList());
    }

    @Test
    void aFailingStepLeavesTheSystemAsItWas() {
        driver.define(DEFAULT_XML);
        Map<String, String> before = kernelSnapshot();
        VnetException cause = new VnetException(ErrorCode.DHCP, "DHCP: cannot bind 192.168.122.1:67: address in use");
        sys.failures.put("dhcp default", cause);
        VnetException e = assertThrows(VnetException.class, () -> driver.start("default"));
        assertEquals(cause, e);
        assertEquals(List.of("apply bridge virbr0", "apply address 192.168.122.1/24", "apply firewall default", "apply dhcp default",
                "undo firewall default", "undo address 192.168.122.1/24", "undo bridge virbr0"), sys.log);
        assertEquals(before, kernelSnapshot());
        assertTrue(sys.routes.isEmpty());
        assertTrue(sys.statuses.isEmpty(), "no status of a network that did not start");
        assertFalse(driver.lookup("default").active());
        sys.failures.clear();
        driver.start("default");
        assertTrue(driver.lookup("default").active(), "a later start works");
    }

    @Test
    void conflictsAreRefusedBeforeAnythingIsTouched() {
        driver.define(DEFAULT_XML);
        sys.links.put("virbr0", "bridge");
        VnetException e = assertThrows(VnetException.class, () -> driver.start("default"));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("'virbr0'"), e.getMessage());
        sys.links.clear();
        sys.routes.add(new KernelView.Route(IpPrefix.parse("192.168.0.0/16"), "eth0"));
        e = assertThrows(VnetException.class, () -> driver.start("default"));
        assertTrue(e.getMessage().contains("eth0"), e.getMessage());
        sys.routes.clear();
        sys.routes.add(new KernelView.Route(IpPrefix.parse("0.0.0.0/0"), "eth0"));
        driver.define(nat("other", "122").replace("<forward mode='nat'/>", "<forward mode='nat' dev='eth9'/>"));
        driver.start("default");
        e = assertThrows(VnetException.class, () -> driver.start("other"));
        assertTrue(e.getMessage().contains("'eth9' of network 'other' does not exist"), e.getMessage());
        sys.links.put("eth9", "");
        e = assertThrows(VnetException.class, () -> driver.start("other"));
        assertTrue(e.getMessage().contains("overlaps 192.168.122.0/24 of running network 'default'"), e.getMessage());
        assertEquals(4, sys.log.stream().filter(l -> l.startsWith("apply")).count(), "only default's steps ran");
    }

    @Test
    void undefineOfARunningNetworkMakesItTransient() {
        driver.define(DEFAULT_XML);
        driver.setAutostart("default", true);
        driver.start("default");
        driver.undefine("default");
        NetworkSummary s = driver.lookup("default");
        assertTrue(s.active());
        assertFalse(s.persistent());
        assertFalse(s.autostart());
        assertFalse(sys.defs.containsKey("default"));
        assertFalse(sys.statuses.get("default").persistent());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(VnetException.class, () -> driver.setAutostart("default", true)).code());
        driver.destroy("default");
        assertTrue(driver.list().isEmpty(), "a stopped transient network vanishes");
    }

    @Test
    void createIsTransient() {
        NetworkSummary s = driver.create(nat("t", "50"));
        assertTrue(s.active());
        assertFalse(s.persistent());
        assertTrue(sys.defs.isEmpty());
        sys.failures.put("firewall t2", new VnetException(ErrorCode.FIREWALL, "nft said no"));
        assertThrows(VnetException.class, () -> driver.create(nat("t2", "51")));
        assertEquals(1, driver.list().size(), "a failed create leaves nothing behind");
        driver.destroy("t");
        assertTrue(driver.list().isEmpty());
    }

    @Test
    void restartAdoptsRunningNetworksAndUndoesHalfMadeOnes() {
        driver.define(DEFAULT_XML);
        driver.define(nat("gone", "60"));
        driver.define(nat("half", "61"));
        driver.define(nat("auto", "62"));
        driver.setAutostart("auto", true);
        driver.start("default");
        driver.start("gone");
        // "half" crashed after its bridge step
        NetworkStatus gone = sys.statuses.get("gone");
        sys.statuses.put("half", new NetworkStatus("half", "8b6f3a3e-4c44-4ef5-a5b8-1b8b9c0b2b11", driver.getXml("half", false), true, false,
                List.of(gone.applied().get(0).action().equals(FakeSystem.bridge("virbr1")) ? new Applied<>(FakeSystem.bridge("virbr2"), Map.of())
                        : gone.applied().get(0)), 1));
        sys.links.put("virbr2", "bridge");
        sys.links.remove("virbr1"); // gone's bridge was deleted behind our back
        sys.log.clear();

        NetworkDriver restarted = sys.driver();
        restarted.recover();
        restarted.autostart();
        assertTrue(restarted.lookup("default").active(), "adopted");
        assertFalse(restarted.lookup("gone").active(), "bridge gone: inactive");
        assertFalse(restarted.lookup("half").active());
        assertTrue(restarted.lookup("auto").active(), "autostarted");
        assertFalse(sys.links.containsKey("virbr2"), "the half-made bridge was removed");
        assertFalse(sys.log.contains("apply bridge virbr0"), "adoption touches nothing");
        assertTrue(sys.log.contains("adopt bridge virbr0"));
        assertTrue(sys.log.contains("undo bridge virbr2"));
        restarted.destroy("default");
        assertFalse(sys.links.containsKey("virbr0"), "an adopted network can be destroyed exactly");
    }

    @Test
    void corruptDefinitionsAreSetAsideAndOthersLoad() {
        driver.define(DEFAULT_XML);
        sys.defs.put("broken", new DefinitionStore.Stored("broken", "<network><name>broken</name><ip address='x'/></network>", false, null));
        sys.defs.put("unreadable", new DefinitionStore.Stored("unreadable", null, false, "not UTF-8"));
        NetworkDriver restarted = sys.driver();
        restarted.recover();
        assertEquals(List.of("default"), restarted.list().stream().map(NetworkSummary::name).toList());
        assertTrue(sys.setAside.containsKey("broken"));
        assertEquals("not UTF-8", sys.setAside.get("unreadable"));
    }

    @Test
    void defaultNetworkMovesWhenItsSubnetIsRouted() {
        sys.routes.add(new KernelView.Route(IpPrefix.parse("192.168.122.0/24"), "eth0"));
        NetworkSummary s = driver.defineDefault(DEFAULT_XML).orElseThrow();
        assertTrue(s.autostart());
        assertTrue(driver.getXml("default", true).contains("192.168.123.1"), driver.getXml("default", true));
        assertTrue(driver.defineDefault(DEFAULT_XML).isEmpty(), "only when nothing is defined");
    }

    @Test
    void metadataTitleAndElement() {
        driver.define(DEFAULT_XML);
        driver.setMetadata("default", "title", "My net", null, null, false, false);
        assertEquals("My net", driver.lookup("default").title());
        assertEquals("My net", driver.getMetadata("default", "title", null, false).orElseThrow());
        driver.setMetadata("default", "element", "<app><v>1</v></app>", "foo", "http://example.org/foo", false, true);
        String el = driver.getMetadata("default", "element", "http://example.org/foo", true).orElseThrow();
        assertTrue(el.contains("foo:app") && el.contains("http://example.org/foo"), el);
        assertTrue(driver.getXml("default", true).contains("<metadata>"), driver.getXml("default", true));
        driver.setMetadata("default", "element", null, null, "http://example.org/foo", false, true);
        assertTrue(driver.getMetadata("default", "element", "http://example.org/foo", true).isEmpty());
        assertEquals(ErrorCode.NETWORK_INACTIVE, assertThrows(VnetException.class,
                () -> driver.setMetadata("default", "title", "x", null, null, true, false)).code());
        assertEquals(List.of("Defined", "title", "element", "element"), sys.events.stream().map(NetworkEvent::detail).toList());
    }

    @Test
    void reloadReappliesEveryRunningNetwork() {
        driver.define(DEFAULT_XML);
        driver.start("default");
        sys.log.clear();
        driver.reload();
        assertEquals(4, sys.log.stream().filter(l -> l.startsWith("reload")).count());
        assertNotNull(sys.statuses.get("default"));
    }

    @Test
    void updateChangesConfigLiveOrBothAndRefusesWhatCannotApply() {
        driver.define(DEFAULT_XML);
        String host = "<host mac='52:54:00:00:00:01' name='g1' ip='192.168.122.50'/>";
        // inactive network, neither flag: the persistent config
        assertEquals(new UpdateResult(false, true), driver.update("default", "add-last", "ip-dhcp-host", -1, host, false, false));
        assertTrue(driver.getXml("default", true).contains("192.168.122.50"));
        assertTrue(sys.defs.get("default").xml().contains("192.168.122.50"), "stored");
        assertEquals(ErrorCode.NETWORK_INACTIVE, assertThrows(VnetException.class,
                () -> driver.update("default", "add-last", "ip-dhcp-host", -1, host, true, false)).code());
        driver.start("default");
        String host2 = "<host mac='52:54:00:00:00:02' name='g2' ip='192.168.122.51'/>";
        assertEquals(new UpdateResult(true, false), driver.update("default", "add-last", "ip-dhcp-host", -1, host2, false, false));
        assertTrue(driver.getXml("default", false).contains("192.168.122.51"), "live");
        assertFalse(driver.getXml("default", true).contains("192.168.122.51"), "not in the config");
        assertTrue(sys.statuses.get("default").liveXml().contains("192.168.122.51"), "the status records the live definition");
        driver.update("default", "delete", "ip-dhcp-host", -1, host, true, true);
        assertFalse(driver.getXml("default", false).contains("192.168.122.50"));
        assertFalse(driver.getXml("default", true).contains("192.168.122.50"));
        String before = driver.getXml("default", true);
        String dup = "<host mac='52:54:00:00:00:02' name='g3' ip='192.168.122.52'/>";
        assertThrows(VnetException.class, () -> driver.update("default", "add-last", "ip-dhcp-host", -1, dup, true, true));
        assertEquals(before, driver.getXml("default", true), "a refused update changes nothing");
    }

    @Test
    void theXmlIsFormattedOnceAndNeverServedStaleAfterADefineUpdateMetadataStartOrPortChange() {
        driver.define(DEFAULT_XML);
        String inactive = driver.getXml("default", true);
        assertSame(inactive, driver.getXml("default", true), "formatted once while nothing changes");
        driver.define(DEFAULT_XML.replace("<bridge name='virbr0' stp='on' delay='0'/>", "<bridge name='virbr0' stp='off' delay='0'/>"));
        assertTrue(driver.getXml("default", true).contains("stp='off'"), "a new definition: " + driver.getXml("default", true));
        assertTrue(driver.getXml("default", false).contains("stp='off'"), "an inactive network's live XML is its definition");
        String host = "<host mac='52:54:00:00:00:01' name='g1' ip='192.168.122.50'/>";
        driver.update("default", "add-last", "ip-dhcp-host", -1, host, false, true);
        assertTrue(driver.getXml("default", true).contains("192.168.122.50"), "an update of the config");
        driver.start("default");
        String live = driver.getXml("default", false);
        assertTrue(live.contains("<port start='1024' end='65535'/>"), "started: the live XML " + live);
        assertSame(live, driver.getXml("default", false));
        int[] ports = {2};
        driver.countPortsWith((network, uuid) -> ports[0]);
        assertTrue(driver.getXml("default", false).startsWith("<network connections='2'>"), driver.getXml("default", false));
        ports[0] = 0;
        assertFalse(driver.getXml("default", false).contains("connections="), "the port count is read each time");
        String host2 = "<host mac='52:54:00:00:00:02' name='g2' ip='192.168.122.51'/>";
        driver.update("default", "add-last", "ip-dhcp-host", -1, host2, true, false);
        assertTrue(driver.getXml("default", false).contains("192.168.122.51"), "a live update");
        assertFalse(driver.getXml("default", true).contains("192.168.122.51"), "not in the config");
        driver.setMetadata("default", "title", "Renamed", null, null, true, true);
        assertTrue(driver.getXml("default", false).contains("<title>Renamed</title>"), "live metadata");
        assertTrue(driver.getXml("default", true).contains("<title>Renamed</title>"), "config metadata");
        driver.destroy("default");
        assertFalse(driver.getXml("default", false).contains("192.168.122.51"), "destroyed: the definition again");
    }
}
