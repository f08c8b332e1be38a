package org.vnetd.daemon.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DhcpWarmUpTest {
    @Test
    void theWarmUpBindsAndReleasesALeaseAndWritesBothRecords() throws Exception {
        LeaseRecordJson json = new LeaseRecordJson();
        List<String> lines = DhcpWarmUp.run(json);
        assertEquals(2, lines.size(), lines.toString());
        LeaseRecord bound = json.read(lines.get(0));
        LeaseRecord released = json.read(lines.get(1));
        assertEquals(LeaseRecord.BIND, bound.op());
        assertEquals(LeaseRecord.DEL, released.op());
        assertTrue(bound.ip().startsWith("192.0.2."), bound.ip());
        assertEquals(bound.ip(), released.ip());
        assertEquals("02:00:00:00:00:01", bound.mac());
        assertEquals("warm-up", bound.host());
    }

    @Test
    void theBackgroundRunEnds() throws Exception {
        Thread t = DhcpWarmUp.startInBackground(new LeaseRecordJson(), null);
        t.join(30_000);
        assertTrue(!t.isAlive(), "the warm-up thread is still running after 30 s");
    }
}
