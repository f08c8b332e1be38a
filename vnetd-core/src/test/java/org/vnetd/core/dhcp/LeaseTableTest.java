package org.vnetd.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.MacAddress;

class LeaseTableTest {
    private static DhcpLease lease(int ip, int client, long expiry) {
        MacAddress mac = MacAddress.parse(String.format("52:54:00:%02x:%02x:%02x", client >> 16 & 0xff, client >> 8 & 0xff, client & 0xff));
        return new DhcpLease(0x0a000000 + ip, ClientId.ofMac(mac), mac, client % 3 == 0 ? "h" + client : null, expiry, 0);
    }

    @Test
    void behavesAsTwoMapsKeptConsistentOverAMillionRandomChanges() {
        // the model: what DhcpServer kept before, one map per index, a put replacing both holders
        Map<ClientId, DhcpLease> byClient = new HashMap<>();
        Map<Integer, DhcpLease> byIp = new HashMap<>();
        LeaseTable table = new LeaseTable();
        Random random = new Random(7);
        for (int step = 0; step < 1_000_000; step++) {
            int ip = random.nextInt(3000);
            int client = random.nextInt(4000);
            DhcpLease l = lease(ip, client, step);
            switch (random.nextInt(5)) {
                case 0, 1, 2 -> {
                    DhcpLease oldOfClient = byClient.remove(l.clientId());
                    if (oldOfClient != null) {
                        byIp.remove(oldOfClient.ip());
                    }
                    DhcpLease oldOnIp = byIp.remove(l.ip());
                    if (oldOnIp != null) {
                        byClient.remove(oldOnIp.clientId());
                    }
                    byClient.put(l.clientId(), l);
                    byIp.put(l.ip(), l);
                    table.put(l);
                }
                case 3 -> {
                    DhcpLease held = byIp.get(ip);
                    DhcpLease victim = held != null && random.nextBoolean() ? held : l;
                    boolean expected = victim.equals(held);
                    if (expected) {
                        byIp.remove(victim.ip());
                        byClient.remove(victim.clientId());
                    }
                    assertEquals(expected, table.remove(victim), "remove at step " + step);
                }
                default -> {
                    assertEquals(byIp.get(l.ip()), table.byAddress(l.ip()), "by address at step " + step);
                    assertEquals(byClient.get(l.clientId()), table.byClient(l.clientId()), "by client at step " + step);
                }
            }
            assertEquals(byIp.size(), table.size());
        }
        assertEquals(new HashSet<>(byIp.values()), new HashSet<>(table.copy()));
        assertEquals(new HashSet<>(byIp.values()), new HashSet<>(List.copyOf(table.view())));
        for (DhcpLease l : byIp.values()) {
            assertSame(l, table.byAddress(l.ip()));
            assertSame(l, table.byClient(l.clientId()));
        }
    }

    @Test
    void aRenewalKeepsItsSlotAndAnEndedLeaseFreesItsSlotForTheNext() {
        LeaseTable table = new LeaseTable();
        DhcpLease a = lease(1, 1, 10);
        DhcpLease b = lease(2, 2, 10);
        table.put(a);
        table.put(b);
        DhcpLease renewed = lease(1, 1, 20);
        table.put(renewed);
        assertEquals(List.of(renewed, b), List.copyOf(table.view()), "the renewal took a's place");
        assertFalse(table.remove(a), "a is no longer held: its renewal is");
        assertTrue(table.remove(renewed));
        DhcpLease c = lease(3, 3, 10);
        table.put(c);
        assertEquals(List.of(c, b), List.copyOf(table.view()), "c reused the freed slot");
        assertNull(table.byAddress(1));
        assertEquals(2, table.size());
    }

    @Test
    void aViewIteratedWhileTheTableGrowsSeesEveryLeaseHeldThroughout() {
        LeaseTable table = new LeaseTable();
        List<DhcpLease> kept = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DhcpLease l = lease(i, i, 1);
            table.put(l);
            kept.add(l);
        }
        var it = table.view().iterator();
        List<DhcpLease> seen = new ArrayList<>();
        seen.add(it.next());
        for (int i = 10; i < 1000; i++) {
            table.put(lease(i, i, 1)); // the slot array is replaced several times meanwhile
        }
        it.forEachRemaining(seen::add);
        assertTrue(seen.containsAll(kept), "every lease held throughout is seen");
    }

    @Test
    void theIndexFindsEveryValueOfACollidingKeyAfterRemovalsAcrossTheTablesEnd() {
        LeaseTable.SlotIndex index = new LeaseTable.SlotIndex();
        // many values under few keys: long probe runs, which wrap around the table's end as it fills
        Map<Integer, List<Integer>> model = new HashMap<>();
        Random random = new Random(11);
        for (int step = 0; step < 200_000; step++) {
            int key = random.nextInt(7) * 1_000_003;
            List<Integer> values = model.computeIfAbsent(key, k -> new ArrayList<>());
            if (values.isEmpty() || random.nextInt(3) > 0 && values.size() < 40) {
                int slot = step;
                index.add(key, slot);
                values.add(slot);
            } else {
                Integer slot = values.remove(random.nextInt(values.size()));
                index.remove(key, slot);
            }
            if (step % 997 == 0) {
                for (var e : model.entrySet()) {
                    List<Integer> found = new ArrayList<>();
                    for (int c = index.first(e.getKey()); c != -1; c = index.next(c, e.getKey())) {
                        found.add(index.slotAt(c));
                    }
                    assertEquals(new HashSet<>(e.getValue()), new HashSet<>(found), "key " + e.getKey() + " at step " + step);
                    assertEquals(e.getValue().size(), found.size());
                }
            }
        }
    }
}
