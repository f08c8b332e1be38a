package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.ActionBackends;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * An update or a metadata change that cannot be stored (a full disk) reports failure and has no
 * effect: not live, not in the files a restart reads. A running network whose services do not serve
 * is shown degraded with the reason, and subscribers hear when that changes.
 */
class PersistFirstDriverTest {
    private static final String HOST = "<host mac='52:54:00:00:00:77' ip='192.168.122.77'/>";
    private final FakeSystem sys = new FakeSystem();
    private boolean statusFull;
    private boolean definitionsFull;
    private final List<String> liveUpdates = new ArrayList<>();
    private RuntimeException liveUpdateFailure;
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    private final StatusStore statuses = new StatusStore() {
        public List<Loaded> loadAll() {
            return sys.statusStore.loadAll();
        }

        public void save(NetworkStatus status) {
            if (statusFull) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot write default.json: No space left on device");
            }
            sys.statusStore.save(status);
        }

        public void delete(String name) {
            sys.statusStore.delete(name);
        }

        public String setAside(String name, String reason) {
            return sys.statusStore.setAside(name, reason);
        }
    };

    private final DefinitionStore definitions = new DefinitionStore() {
        public List<Stored> loadAll() {
            return sys.loadAll();
        }

        public void save(String name, String xml) {
            if (definitionsFull) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot write default.xml: No space left on device");
            }
            sys.save(name, xml);
        }

        public void delete(String name) {
            sys.delete(name);
        }

        public void setAutostart(String name, boolean autostart) {
            sys.setAutostart(name, autostart);
        }

        public String setAside(String name, String reason) {
            return sys.setAside(name, reason);
        }
    };

    private final ActionBackends backends = new ActionBackends() {
        public Effects<Action> forNetwork(NetworkDef live) {
            return sys.forNetwork(live);
        }

        public void liveUpdate(NetworkDef oldDef, NetworkDef newDef, String section) {
            if (liveUpdateFailure != null) {
                throw liveUpdateFailure;
            }
            liveUpdates.add(section);
        }
    };

    private final NetworkDriver driver = new NetworkDriver(definitions, statuses, sys, backends, sys, sys.events::add,
            network -> List.of(), n -> Optional.ofNullable(problems.get(n)), () -> 1000L, new java.util.Random(7),
            new SafeXml());

    private void startDefault() {
        driver.define(NetworkDriverTest.nat("default", "122"));
        driver.start("default");
    }

    private String statusXml() {
        return sys.statuses.get("default").liveXml();
    }

    @Test
    void aLiveUpdateThatCannotBeStoredIsNotApplied() {
        startDefault();
        String live = driver.getXml("default", false);
        String stored = statusXml();
        statusFull = true;
        VnetException e = assertThrows(VnetException.class,
                () -> driver.update("default", "add-last", "ip-dhcp-host", -1, HOST, true, false));
        assertEquals(ErrorCode.STATE_IO, e.code());
        assertEquals(List.of(), liveUpdates, "the running services never saw the change");
        assertEquals(live, driver.getXml("default", false));
        assertEquals(stored, statusXml());

        statusFull = false;
        driver.update("default", "add-last", "ip-dhcp-host", -1, HOST, true, false);
        assertEquals(List.of("ip-dhcp-host"), liveUpdates);
        assertTrue(driver.getXml("default", false).contains("192.168.122.77"));
        assertTrue(statusXml().contains("192.168.122.77"), "what a restart reads has it too");
    }

    @Test
    void anUpdateOfBothCopiesIsAllOrNothing() {
        startDefault();
        String live = driver.getXml("default", false);
        String config = driver.getXml("default", true);
        String stored = statusXml();
        definitionsFull = true;
        assertThrows(VnetException.class, () -> driver.update("default", "add-last", "ip-dhcp-host", -1, HOST, true, true));
        assertEquals(List.of(), liveUpdates);
        assertEquals(live, driver.getXml("default", false));
        assertEquals(config, driver.getXml("default", true));
        assertEquals(stored, statusXml(), "the status written first was put back");

        definitionsFull = false;
        liveUpdateFailure = new VnetException(ErrorCode.DHCP, "the DHCP server refused it");
        assertThrows(VnetException.class, () -> driver.update("default", "add-last", "ip-dhcp-host", -1, HOST, true, true));
        assertEquals(live, driver.getXml("default", false));
        assertEquals(config, driver.getXml("default", true));
        assertEquals(stored, statusXml());
        assertFalse(sys.defs.get("default").xml().contains("192.168.122.77"), "the definition written first was put back");
    }

    @Test
    void metadataThatCannotBeStoredIsNotSet() {
        startDefault();
        statusFull = true;
        assertThrows(VnetException.class, () -> driver.setMetadata("default", "description", "lost", null, null, true, false));
        assertTrue(driver.getMetadata("default", "description", null, false).isEmpty());
        statusFull = false;
        definitionsFull = true;
        assertThrows(VnetException.class, () -> driver.setMetadata("default", "description", "lost", null, null, true, true));
        assertTrue(driver.getMetadata("default", "description", null, false).isEmpty());
        assertTrue(driver.getMetadata("default", "description", null, true).isEmpty());
        assertFalse(statusXml().contains("lost"));
        assertTrue(sys.events.stream().noneMatch(ev -> ev.event().equals(NetworkEvent.METADATA_CHANGE)), "no event for what did not happen");
    }

    @Test
    void aRunningNetworkWhoseServicesDoNotServeIsShownDegraded() {
        driver.define(NetworkDriverTest.nat("default", "122"));
        problems.put("default", "DHCP: lease log cannot be written");
        assertNull(driver.lookup("default").degraded(), "an inactive network is not degraded");
        driver.start("default");
        assertEquals("DHCP: lease log cannot be written", driver.lookup("default").degraded());
        assertEquals("DHCP: lease log cannot be written", driver.list().getFirst().degraded());
        driver.serviceHealthChanged("default");
        problems.clear();
        driver.serviceHealthChanged("default");
        assertNull(driver.lookup("default").degraded());
        assertEquals(List.of(NetworkEvent.DEGRADED, NetworkEvent.REPAIRED), sys.events.stream()
                .filter(ev -> ev.event().equals(NetworkEvent.SERVICE_HEALTH)).map(NetworkEvent::detail).toList());
    }
}
