package org.vnetd.core.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A definition with what vnetd does not apply is refused at define, create and takeover; one an earlier vnetd stored is kept
 * as written and refused at start.
 */
class UnappliedElementsDriverTest {
    private final FakeSystem sys = new FakeSystem();
    private final NetworkDriver driver = sys.driver();

    private static final String VEPA = VepaNetwork.xml("""
              <virtualport type='802.1Qbg'>
                <parameters managerid='11' typeid='1193047' typeidversion='2' instanceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/>
              </virtualport>
            """);

    @Test
    void refusedAtDefineAndNothingStored() {
        VnetException e = assertThrows(VnetException.class, () -> driver.define(VEPA));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().startsWith("unsupported configuration: network 'direct' ") && e.getMessage().contains("<virtualport type='802.1Qbg'>")
                && e.getMessage().contains("so it is not defined"), e.getMessage());
        assertEquals(ErrorCode.NO_SUCH_NETWORK, assertThrows(VnetException.class, () -> driver.lookup("direct")).code());
        assertTrue(sys.defs.isEmpty(), "nothing stored");
    }

    @Test
    void aDefinitionAnEarlierVnetdStoredIsKeptAndRefusedAtStart() {
        sys.save("direct", VEPA);
        NetworkDriver restarted = sys.driver();
        restarted.recover();
        String stored = restarted.getXml("direct", true);
        VnetException e = assertThrows(VnetException.class, () -> restarted.start("direct"));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("<virtualport type='802.1Qbg'>") && e.getMessage().contains("so it is not started"), e.getMessage());
        assertFalse(restarted.lookup("direct").active());
        assertEquals(List.of(), sys.log, "nothing applied");
        assertEquals(stored, restarted.getXml("direct", true), "the definition is kept as it was");
        // other changes of its definition are not held up by what it already had
        restarted.update("direct", "add-last", "portgroup", -1, "<portgroup name='p'/>", false, true);
        VnetException more = assertThrows(VnetException.class, () -> restarted.update("direct", "add-last", "portgroup", -1,
                "<portgroup name='q'><virtualport type='802.1Qbh'/></portgroup>", false, true));
        assertTrue(more.getMessage().contains("so the definition is not changed")
                && more.getMessage().contains("<virtualport type='802.1Qbh'> of <portgroup name='q'>")
                && !more.getMessage().contains("<virtualport type='802.1Qbg'>"), more.getMessage());
    }

    @Test
    void aTransientOneIsNotCreated() {
        VnetException e = assertThrows(VnetException.class, () -> driver.create(VEPA));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals(List.of(), driver.list());
    }

    @Test
    void libvirtIsNotAskedToLetGoOfOne() {
        VnetException e = assertThrows(VnetException.class, () -> driver.takeOver(VEPA, def -> {
            throw new AssertionError("libvirt asked to let go");
        }));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals(List.of(), driver.list());
    }

    @Test
    void aLiveUpdateAddingWhatIsNotAppliedLeavesTheRunningNetworkAsItWas() {
        driver.define(NetworkDriverTest.nat("n", "120").replace("<forward mode='nat'/>", "<forward mode='nat'/><portgroup name='a'/>"));
        driver.start("n");
        String live = driver.getXml("n", false);
        String ovs = "<portgroup name='b'><virtualport type='openvswitch'/></portgroup>";
        VnetException e = assertThrows(VnetException.class, () -> driver.update("n", "add-last", "portgroup", -1, ovs, true, false));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("the running network is not changed")
                && e.getMessage().contains("<virtualport type='openvswitch'> of <portgroup name='b'>"), e.getMessage());
        assertEquals(live, driver.getXml("n", false));
        assertFalse(driver.getXml("n", true).contains("name='b'"), "a refused live and config change alters neither");
        driver.update("n", "add-last", "portgroup", -1, "<portgroup name='c'/>", true, false);
        assertTrue(driver.getXml("n", false).contains("<portgroup name='c'"), "what vnetd applies is still updated");
    }
}
