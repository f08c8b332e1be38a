package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.TapSpec;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The reaper against the kernel in a test namespace: retired taps are down at once and
 * deleted in far fewer group deletes than taps; links in other groups (and group 0) are never deleted;
 * close drains the queue; leftovers of an earlier run are removed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TapReaperTest {
    private TestNetns ns;
    private NetnsExecutor thread;
    private NetlinkLinkBackend links;
    private NetlinkLinkBackend deleter;
    private TapReaper reaper;

    @BeforeEach
    void setUp() {
        NetnsSupport.require("ip");
        ns = TestNetns.create("reaper");
        thread = NetnsExecutor.enter(ns);
        links = thread.call(NetlinkLinkBackend::open);
        deleter = thread.call(NetlinkLinkBackend::open);
        reaper = new TapReaper(links, deleter);
    }

    @AfterEach
    void tearDown() {
        if (reaper != null) {
            reaper.close();
        }
        if (thread != null) {
            thread.run(() -> {
                links.close();
                deleter.close();
            });
            thread.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private List<String> taps(int n) {
        return thread.call(() -> {
            links.createBridge(BridgeSpec.of("br0"));
            links.setUp("br0");
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String tap = links.createTap(TapSpec.of("vnet%d"));
                links.plugIntoBridge(tap, MacAddress.parse(String.format("fe:54:00:00:%02x:%02x", i >> 8, i & 0xff)), 1500, "br0");
                out.add(tap);
            }
            return out;
        });
    }

    private boolean exists(String name) {
        return ns.exec("ip", "link", "show", "dev", name).ok();
    }

    @Test
    void manyRetiredTapsGoInFewBatchesAndForeignLinksStay() throws Exception {
        List<String> taps = taps(50);
        thread.run(() -> {
            links.createTap(TapSpec.of("keep0"));
            links.createTap(TapSpec.of("other0"));
        });
        ns.execOk("ip", "link", "set", "other0", "group", "77");
        for (String tap : taps) {
            reaper.retire(links.getLink(tap).orElseThrow().ref());
        }
        // the last one is down (a disabled bridge port) when retire returns, whether or not it is deleted yet
        String last = taps.get(taps.size() - 1);
        String shown = ns.exec("ip", "-o", "link", "show", "dev", last).stdout();
        assertFalse(shown.contains(",UP"), shown);

        assertTrue(reaper.awaitIdle(Duration.ofSeconds(30)), "the reaper did not finish");
        for (String tap : taps) {
            assertFalse(exists(tap), tap + " was reaped");
            assertFalse(reaper.pending(tap));
        }
        TapReaper.Counts counts = reaper.counts();
        assertEquals(50, counts.reaped());
        assertTrue(counts.batches() < 50, "group deletes batch taps: " + counts.batches() + " deletes for 50 taps");
        assertTrue(exists("keep0") && exists("other0") && exists("br0"), "links outside the group stay");
        assertEquals("", ns.execOk("ip", "-o", "link", "show", "master", "br0").trim());
    }

    @Test
    void awaitReapedAndCloseDrainTheQueue() throws Exception {
        List<String> taps = taps(10);
        reaper.retire(links.getLink(taps.get(0)).orElseThrow().ref());
        assertTrue(reaper.awaitReaped(taps.get(0), Duration.ofSeconds(20)));
        assertFalse(exists(taps.get(0)));
        for (String tap : taps.subList(1, taps.size())) {
            reaper.retire(links.getLink(tap).orElseThrow().ref());
        }
        reaper.close();
        reaper = null;
        for (String tap : taps) {
            assertFalse(exists(tap), tap + " is deleted before close returns");
        }
    }

    @Test
    void leftoversOfAnEarlierRunAreRemovedAtStart() {
        List<String> taps = taps(3);
        for (String tap : taps.subList(0, 2)) {
            ns.execOk("ip", "link", "set", tap, "nomaster", "down", "group", Integer.toUnsignedString(TapReaper.GROUP));
        }
        assertTrue(reaper.reapLeftovers());
        assertFalse(exists(taps.get(0)) || exists(taps.get(1)));
        assertTrue(exists(taps.get(2)), "a tap outside the group stays");
        assertFalse(reaper.reapLeftovers(), "nothing left the second time");
    }
}
