package org.vnetd.core.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.plan.NetworkPlanner;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.xml.NetworkXml;

/** libvirt's tc commands (virnetdevbandwidth.c) for the cases its virnetdevbandwidthtest covers, and the floor plug. */
class TcPlansTest {
    static Bandwidth bw(long inAvg, long inPeak, long inFloor, long inBurst, long outAvg, long outPeak, long outBurst) {
        Optional<Bandwidth.Rate> in = inAvg == 0 && inFloor == 0 ? Optional.empty()
                : Optional.of(new Bandwidth.Rate(opt(inAvg), opt(inPeak), opt(inFloor), opt(inBurst)));
        Optional<Bandwidth.Rate> out = outAvg == 0 ? Optional.empty()
                : Optional.of(new Bandwidth.Rate(opt(outAvg), opt(outPeak), OptionalLong.empty(), opt(outBurst)));
        return new Bandwidth(OptionalLong.empty(), in, out);
    }

    private static OptionalLong opt(long v) {
        return v == 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static List<String> lines(List<TcObject> objects) {
        return objects.stream().map(TcObject::describe).toList();
    }

    @Test
    void aTapsInboundIsOneHtbClassWithSfqAndTheFwFilter() {
        assertEquals(List.of(
                "tc qdisc add dev eth0 root handle 1: htb default 1",
                "tc class add dev eth0 parent 1: classid 1:1 htb rate 1024kbps quantum 87",
                "tc qdisc add dev eth0 parent 1:1 handle 2: sfq perturb 10",
                "tc filter add dev eth0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1"),
                lines(TcPlans.set("eth0", bw(1024, 0, 0, 0, 0, 0, 0), false)));
    }

    @Test
    void outboundIsPolicedOnIngressWithTheAverageAsDefaultBurst() {
        assertEquals(List.of(
                "tc qdisc add dev eth0 ingress",
                "tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 police rate 1024kbps burst 1024kb mtu 64kb drop flowid :1"),
                lines(TcPlans.set("eth0", bw(0, 0, 0, 0, 1024, 0, 0), false)));
    }

    @Test
    void everyAttributeAndTheSmallestQuantum() {
        assertEquals(List.of(
                "tc qdisc add dev eth0 root handle 1: htb default 1",
                "tc class add dev eth0 parent 1: classid 1:1 htb rate 1kbps ceil 2kbps burst 4kb quantum 1",
                "tc qdisc add dev eth0 parent 1:1 handle 2: sfq perturb 10",
                "tc filter add dev eth0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1",
                "tc qdisc add dev eth0 ingress",
                "tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 police rate 5kbps burst 7kb mtu 64kb drop flowid :1"),
                lines(TcPlans.set("eth0", bw(1, 2, 3, 4, 5, 6, 7), false)));
    }

    @Test
    void theLargestRatesKeepTheBurstWithinWhatTcStores() {
        List<String> l = lines(TcPlans.set("eth0", bw(4294967295L, 0, 0, 0, 4294967295L, 0, 0), false));
        assertEquals("tc class add dev eth0 parent 1: classid 1:1 htb rate 4294967295kbps quantum 366503875", l.get(1));
        assertEquals("tc filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 police rate 4294967295kbps burst 4194303kb "
                + "mtu 64kb drop flowid :1", l.get(5));
    }

    @Test
    void anInboundWithOnlyAFloorShapesNothingOnTheTap() {
        assertEquals(List.of(), TcPlans.set("vnet0", bw(0, 0, 100, 0, 0, 0, 0), false));
    }

    @Test
    void aBridgeIsHierarchical() {
        assertEquals(List.of(
                "tc qdisc add dev virbr1 root handle 1: htb default 2",
                "tc class add dev virbr1 parent 1: classid 1:1 htb rate 1000kbps ceil 1000kbps quantum 85",
                "tc class add dev virbr1 parent 1:1 classid 1:2 htb rate 1000kbps quantum 85",
                "tc qdisc add dev virbr1 parent 1:2 handle 2: sfq perturb 10",
                "tc filter add dev virbr1 parent 1:0 protocol all prio 1 handle 1 fw flowid 1"),
                lines(TcPlans.set("virbr1", bw(1000, 0, 0, 0, 0, 0, 0), true)));
    }

    @Test
    void aFloorIsAClassUnderTheNetworksWithAFilterOnTheGuestsMac() {
        Bandwidth net = bw(1000, 2000, 0, 0, 0, 0, 0);
        assertEquals(List.of(
                "tc class add dev virbr1 parent 1:1 classid 1:a htb rate 300kbps ceil 2000kbps quantum 85",
                "tc qdisc add dev virbr1 parent 1:a handle a: sfq perturb 10",
                "tc filter add dev virbr1 protocol ip prio 2 handle 800::810 u32 match u16 0x0800 0xffff at -2 match u32 0x00ab12cd "
                        + "0xffffffff at -12 match u16 0x5254 0xffff at -14 flowid 1:a"),
                lines(TcPlans.plug("virbr1", Optional.of(net), MacAddress.parse("52:54:00:ab:12:cd"), bw(1000, 0, 300, 0, 0, 0, 0), 10)));
        assertEquals("tc class change dev virbr1 classid 1:2 htb rate 1700kbps ceil 2000kbps quantum 85",
                TcPlans.updateRate("virbr1", 2, net, 1700).describe());
    }

    @Test
    void theFilterHandleIsLibvirtsDecimalReadAsHex() {
        TcObject.MacFilter f = new TcObject.MacFilter("virbr1", 3, "52:54:00:00:00:01", new TcHandle(1, 3));
        assertEquals((0x800 << 20) | 0x803, f.handle());
        assertEquals((0x800 << 20) | 0x999, new TcObject.MacFilter("b", 199, "52:54:00:00:00:01", new TcHandle(1, 199)).handle());
        assertThrows(IllegalArgumentException.class, () -> new TcObject.MacFilter("b", 200, "52:54:00:00:00:01", new TcHandle(1, 200)).handle());
    }

    @Test
    void aFloorNeedsTheNetworksInboundAndAClassIdAboveTwo() {
        Bandwidth port = bw(0, 0, 100, 0, 0, 0, 0);
        MacAddress mac = MacAddress.parse("52:54:00:00:00:01");
        VnetException e = assertThrows(VnetException.class, () -> TcPlans.plug("virbr1", Optional.empty(), mac, port, 3));
        assertEquals("unsupported configuration: Bridge 'virbr1' has no QoS set, therefore unable to set 'floor' on '52:54:00:00:00:01'",
                e.getMessage());
        assertEquals(ErrorCode.INTERNAL,
                assertThrows(VnetException.class, () -> TcPlans.plug("virbr1", Optional.of(bw(10, 0, 0, 0, 0, 0, 0)), mac, port, 2)).code());
    }

    @Test
    void aHostBridgeGetsOnlyItsBandwidth() {
        var def = NetworkXml.parse("""
                <network><name>hostbr</name><forward mode='bridge'/><bridge name='br0'/>
                <bandwidth><inbound average='100'/></bandwidth></network>""");
        assertEquals(List.of(
                "tc qdisc add dev br0 root handle 1: htb default 2",
                "tc class add dev br0 parent 1: classid 1:1 htb rate 100kbps ceil 100kbps quantum 8",
                "tc class add dev br0 parent 1:1 classid 1:2 htb rate 100kbps quantum 8",
                "tc qdisc add dev br0 parent 1:2 handle 2: sfq perturb 10",
                "tc filter add dev br0 parent 1:0 protocol all prio 1 handle 1 fw flowid 1"), new NetworkPlanner().plan(def).lines());
    }
}
