package org.vnetd.core.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.vnetd.core.qos.TcPlansTest.bw;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.model.ForwardMode;

/** libvirt's networkCheckBandwidth, its results and its errors word for word, and the class ids and sum of a ledger. */
class FloorCheckTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:07");

    private static OptionalLong check(ForwardMode mode, Bandwidth net, Bandwidth wanted, Bandwidth old, long sum) {
        return FloorCheck.check("qos", "virbr9", mode, Optional.ofNullable(net), Optional.ofNullable(wanted), Optional.ofNullable(old), MAC,
                sum);
    }

    @Test
    void aFloorThatFitsGivesTheRateTheUnguaranteedClassStartsFrom() {
        assertEquals(OptionalLong.of(1000), check(ForwardMode.NAT, bw(1000, 0, 0, 0, 0, 0, 0), bw(0, 0, 400, 0, 0, 0, 0), null, 600));
        assertEquals(OptionalLong.of(2000), check(ForwardMode.ROUTE, bw(1000, 2000, 0, 0, 0, 0, 0), bw(0, 0, 1500, 0, 0, 0, 0), null, 500));
    }

    @Test
    void noFloorNowOrBeforeNeedsNothing() {
        assertEquals(OptionalLong.empty(), check(ForwardMode.NAT, bw(1000, 0, 0, 0, 0, 0, 0), bw(500, 0, 0, 0, 0, 0, 0), null, 900));
        assertEquals(OptionalLong.empty(), check(ForwardMode.NAT, null, bw(500, 0, 0, 0, 0, 0, 0), null, 0));
    }

    @Test
    void aFloorBeyondTheAverageIsRefusedWithLibvirtsError() {
        VnetException e = assertThrows(VnetException.class,
                () -> check(ForwardMode.NAT, bw(1000, 0, 0, 0, 0, 0, 0), bw(0, 0, 401, 0, 0, 0, 0), null, 600));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("Requested operation is not valid: Cannot plug '52:54:00:00:00:07' interface into 'virbr9' because new combined "
                + "inbound floor=1001 would overcommit average=1000 on network 'qos'", e.getMessage());
        e = assertThrows(VnetException.class,
                () -> check(ForwardMode.NAT, bw(1000, 1200, 0, 0, 0, 0, 0), bw(0, 0, 700, 0, 0, 0, 0), null, 600));
        assertEquals("Requested operation is not valid: Cannot plug '52:54:00:00:00:07' interface into 'virbr9' because new combined "
                + "inbound floor=1300 would overcommit peak=1200 on network 'qos'", e.getMessage());
    }

    @Test
    void aChangedFloorCountsWithoutTheOldOne() {
        assertEquals(OptionalLong.of(1000),
                check(ForwardMode.NAT, bw(1000, 0, 0, 0, 0, 0, 0), bw(0, 0, 900, 0, 0, 0, 0), bw(0, 0, 500, 0, 0, 0, 0), 600));
        assertEquals(OptionalLong.of(1000),
                check(ForwardMode.NAT, bw(1000, 0, 0, 0, 0, 0, 0), null, bw(0, 0, 500, 0, 0, 0, 0), 600));
    }

    @Test
    void aFloorNeedsAModeWithOurBridgeAndAnInboundRate() {
        VnetException e = assertThrows(VnetException.class,
                () -> check(ForwardMode.BRIDGE, bw(1000, 0, 0, 0, 0, 0, 0), bw(0, 0, 1, 0, 0, 0, 0), null, 0));
        assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
        assertEquals("Operation not supported: Invalid use of 'floor' on interface with MAC address 52:54:00:00:00:07 - 'floor' is only "
                + "supported for interface type 'network' with forward type 'nat', 'route', 'open' or none", e.getMessage());
        e = assertThrows(VnetException.class, () -> check(ForwardMode.NONE, bw(0, 0, 0, 0, 10, 0, 0), bw(0, 0, 1, 0, 0, 0, 0), null, 0));
        assertEquals("Operation not supported: Invalid use of 'floor' on interface with MAC address 52:54:00:00:00:07 - network 'qos' "
                + "has no inbound QoS set", e.getMessage());
    }

    @Test
    void theLedgerGivesTheLowestFreeClassIdAndTheSum() {
        assertEquals(3, new FloorLedger(List.of()).nextClassId());
        FloorLedger l = new FloorLedger(List.of(new FloorLedger.Share(3, 100), new FloorLedger.Share(5, 250)));
        assertEquals(4, l.nextClassId());
        assertEquals(350, l.floorSum());
    }
}
