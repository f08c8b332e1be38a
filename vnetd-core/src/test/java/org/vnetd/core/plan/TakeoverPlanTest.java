package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.xml.NetworkXml;

/** A takeover adopts what libvirt made, puts vnetd's rules in, then lets libvirt go, then starts the services. */
class TakeoverPlanTest {
    static final String DEFAULT = """
            <network>
              <name>default</name>
              <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01</uuid>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:0a:0b:0c'/>
              <route address='10.9.0.0' prefix='16' gateway='192.168.122.2'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;
    static final Action.ReleaseFromLibvirt RELEASE = new Action.ReleaseFromLibvirt("default", "virbr0", OptionalLong.of(42),
            OptionalLong.empty(), Optional.of("/var/lib/libvirt/dnsmasq/virbr0.status"), Optional.of("/run/libvirt/network/default.xml"));

    @Test
    void adoptsWhatLibvirtMadeAndReleasesItAfterVnetdsRulesBeforeItsServices() {
        Plan start = new NetworkPlanner().plan(NetworkXml.parse(DEFAULT));
        Plan takeover = TakeoverPlan.of(start, RELEASE);
        assertEquals(List.of(
                "adopt: create bridge virbr0 (stp on, delay 0 s, mac 52:54:00:0a:0b:0c)",
                start.lines().get(1), // the firewalld zone libvirt set, set again as a start sets it
                start.lines().get(2), // vnetd's firewall, as a start applies it
                "adopt: add address 192.168.122.1/24 to virbr0",
                "adopt: set virbr0 up",
                "adopt: add route 10.9.0.0/16 via 192.168.122.2",
                start.lines().get(6), // sysctls
                "release default on virbr0 from libvirt: remove its firewall rules, stop its dnsmasq (pid 42), import the leases of "
                        + "/var/lib/libvirt/dnsmasq/virbr0.status, move its status /run/libvirt/network/default.xml aside",
                "start dns of default on virbr0",
                "start dhcp of default on virbr0"), takeover.lines());
        assertInstanceOf(Action.FirewalldZone.class, takeover.actions().get(1));
        assertInstanceOf(Action.Firewall.class, takeover.actions().get(2));
    }

    @Test
    void aNetworkWithoutServicesIsReleasedLast() {
        Plan start = new NetworkPlanner().plan(NetworkXml.parse("""
                <network><name>iso</name><uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c03</uuid>
                  <bridge name='virbr3' stp='on' delay='0'/><dns enable='no'/></network>"""));
        List<Action> actions = TakeoverPlan.of(start, RELEASE).actions();
        assertEquals(RELEASE, actions.getLast());
    }

    @Test
    void neitherAdoptionsNorReleasesNest() {
        assertThrows(IllegalArgumentException.class, () -> new Action.Adopted(RELEASE));
        assertThrows(IllegalArgumentException.class, () -> new Action.Adopted(new Action.Adopted(new Action.LinkUp("virbr0"))));
    }

    /** The status file keeps the applied takeover, so a restarted daemon adopts and later undoes it. */
    @Test
    void aTakeoverSurvivesTheStatusFile() throws Exception {
        List<Applied<Action>> applied = TakeoverPlan.of(new NetworkPlanner().plan(NetworkXml.parse(DEFAULT)), RELEASE).actions().stream()
                .map(a -> new Applied<>(a, Map.of("k", "v"))).toList();
        var type = PlanJson.MAPPER.getTypeFactory().constructCollectionType(List.class,
                PlanJson.MAPPER.getTypeFactory().constructParametricType(Applied.class, Action.class));
        String json = PlanJson.MAPPER.writerFor(type).writeValueAsString(applied);
        assertEquals(applied, PlanJson.MAPPER.readValue(json, type));
        org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"kind\":\"adopted\"") && json.contains("\"kind\":\"release-from-libvirt\""), json);
    }
}
