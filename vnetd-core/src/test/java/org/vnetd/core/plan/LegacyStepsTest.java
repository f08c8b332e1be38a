package org.vnetd.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.model.NetworkDef;

/** Statuses written by a vnetd that recorded step ids are read as the actions those steps were. */
class LegacyStepsTest {
    private static final NetworkDef ROUTED = NetworkXml.parse("""
            <network>
              <name>r</name>
              <bridge name='br.7'/>
              <forward mode='route'/>
              <ip address='10.9.0.1' prefix='24'><dhcp><range start='10.9.0.2' end='10.9.0.9'/></dhcp><tftp root='/srv/tftp'/></ip>
              <ip family='ipv6' address='fd00:9::1' prefix='64'/>
              <route address='10.20.0.0' prefix='16' gateway='10.9.0.254'/>
            </network>
            """);

    /** The ids the step-based daemon gave its steps for {@link #ROUTED}, in its order. */
    private static final List<String> OLD_IDS = List.of("bridge br.7", "firewall r", "address 10.9.0.1/24 on br.7",
            "address fd00:9::1/64 on br.7", "up br.7", "route 10.20.0.0/16 via 10.9.0.254", "sysctl br.7", "dns r", "tftp br.7",
            "dhcp br.7");

    /** Router advertisements, DHCPv6 and firewalld zones came after those daemons: their statuses never name those actions. */
    @Test
    void everyOldStepIdNamesOneActionOfThePlanInTheSameOrder() {
        Plan plan = new NetworkPlanner().plan(ROUTED);
        assertEquals(OLD_IDS, plan.actions().stream().filter(a -> !(a instanceof Action.StartRa || a instanceof Action.StartDhcp6
                || a instanceof Action.FirewalldZone)).map(LegacySteps::idOf).toList());
        assertEquals(List.of("ra br.7"), plan.actions().stream().filter(a -> a instanceof Action.StartRa).map(LegacySteps::idOf).toList());
    }

    @Test
    void recordsGoWithTheirActionsAndUnknownStepsAreReported() {
        List<LegacySteps.Step> steps = List.of(new LegacySteps.Step("bridge br.7", Map.of()),
                new LegacySteps.Step("firewall r", Map.of("backend", "nftables", "createdTable", "yes")),
                new LegacySteps.Step("sysctl br.7", Map.of("net.ipv4.ip_forward", "0")),
                new LegacySteps.Step("vlan br.7", Map.of()));
        LegacySteps.Converted c = LegacySteps.convert(ROUTED, true, steps, new NetworkPlanner());
        List<Action> plan = new NetworkPlanner().plan(ROUTED).actions();
        assertEquals(List.of(new Applied<>(plan.get(0), Map.of()),
                new Applied<>(plan.get(2), Map.of("backend", "nftables", "createdTable", "yes")),
                new Applied<>(plan.get(7), Map.of("net.ipv4.ip_forward", "0"))), c.applied());
        assertEquals(List.of("vlan br.7"), c.unmatched());
    }

    @Test
    void anUnfinishedStartIsRolledBackWhole() {
        LegacySteps.Converted c = LegacySteps.convert(ROUTED, false, List.of(new LegacySteps.Step("bridge br.7", Map.of())),
                new NetworkPlanner());
        assertEquals(new NetworkPlanner().plan(ROUTED).actions().stream().map(Applied::intended).toList(), c.applied());
    }
}
