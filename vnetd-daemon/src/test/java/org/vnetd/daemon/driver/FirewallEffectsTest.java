package org.vnetd.daemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;

/** The firewall action's records: which backend applied it, whether its start made vnetd's table. */
class FirewallEffectsTest {
    private final List<String> calls = new ArrayList<>();
    private boolean tablePresent;
    private boolean inPlace = true;

    private final FirewallBackend backend = new FirewallBackend() {
        public String name() {
            return "nftables";
        }

        public void update(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
            remove.forEach(p -> calls.add("remove " + p.network()));
            add.forEach(p -> calls.add("apply " + p.network()));
            tablePresent |= !add.isEmpty();
        }

        public void clear() {
            calls.add("clear");
            tablePresent = false;
        }

        public boolean inPlace(FirewallPlan plan) {
            return inPlace;
        }

        public boolean installed() {
            return tablePresent;
        }
    };

    private static FirewallPlan plan(String network) {
        return new FirewallPlan(network, "br-" + network, List.of());
    }

    @Test
    void aFailedStartRemovesTheTableItMadeAndAStopLeavesIt() {
        FirewallEffects fw = new FirewallEffects(backend);
        Map<String, String> first = fw.apply(plan("a"));
        assertEquals(Map.of("backend", "nftables", "createdTable", "yes"), first);
        Map<String, String> second = fw.apply(plan("b"));
        assertEquals("no", second.get("createdTable"));
        fw.rollback(plan("b"), second);
        fw.remove(plan("a"), false);
        assertEquals(List.of("apply a", "apply b", "remove b", "remove a"), calls, "a stop keeps the table for the next start");
        calls.clear();
        Map<String, String> again = fw.apply(plan("c"));
        assertEquals("no", again.get("createdTable"), "the table stayed");
        fw.rollback(plan("c"), Map.of("backend", "nftables", "createdTable", "yes"));
        assertEquals(List.of("apply c", "remove c", "clear"), calls, "the last network's failed start takes the table it made");
    }

    @Test
    void adoptionLeavesRulesInPlaceAndReappliesDriftOrAnotherBackendsRules() {
        FirewallEffects fw = new FirewallEffects(backend);
        Map<String, String> record = Map.of("backend", "nftables", "createdTable", "yes");
        assertEquals(record, fw.adopt(plan("a"), record));
        assertEquals(List.of(), calls, "nothing touched");
        fw.adopt(plan("b"), Map.of("backend", "iptables", "createdTable", "no"));
        inPlace = false;
        fw.adopt(plan("c"), record);
        assertEquals(List.of("apply b", "apply c"), calls);
    }
}
