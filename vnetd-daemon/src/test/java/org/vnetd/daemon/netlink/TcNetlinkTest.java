package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.qos.HtbClassChange;
import org.vnetd.core.qos.TcObject;
import org.vnetd.core.qos.TcPlans;

/**
 * Our rtnetlink encoding of libvirt's tc objects against iproute2's: each object is made by us on one
 * bridge and by {@code tc} itself, from the very command libvirt runs ({@link TcObject#describe}), on
 * another; the kernel's own account of both ({@code tc -j -d … show}) must be the same. What this kernel
 * lacks (sfq, the fw classifier, the police action) must be refused to us as it is to tc.
 */
class TcNetlinkTest {
    private static final Bandwidth NETWORK = new Bandwidth(OptionalLong.empty(),
            Optional.of(new Bandwidth.Rate(OptionalLong.of(1000), OptionalLong.of(2000), OptionalLong.empty(), OptionalLong.of(1024))),
            Optional.of(new Bandwidth.Rate(OptionalLong.of(2000), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty())));

    @Test
    void htbClassesAndMacFiltersAreWhatTcMakesOfLibvirtsCommands() {
        try (NetlinkNs t = NetlinkNs.create("tc-enc")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("bra"));
                t.backend.createBridge(BridgeSpec.of("brb"));
            });
            List<TcObject> objects = new ArrayList<>(TcPlans.set("bra", NETWORK, true).stream()
                    .filter(o -> !(o instanceof TcObject.SfqQdisc || o instanceof TcObject.FwFilter
                            || o instanceof TcObject.PoliceFilter))
                    .toList());
            Bandwidth floor = new Bandwidth(OptionalLong.empty(),
                    Optional.of(new Bandwidth.Rate(OptionalLong.of(300), OptionalLong.empty(), OptionalLong.of(200), OptionalLong.empty())),
                    Optional.empty());
            TcPlans.plug("bra", Optional.of(NETWORK), MacAddress.parse("52:54:00:12:34:56"), floor, 3).stream()
                    .filter(o -> !(o instanceof TcObject.SfqQdisc)).forEach(objects::add);
            TcPlans.plug("bra", Optional.of(NETWORK), MacAddress.parse("52:54:00:ab:cd:ef"), floor, 10).stream()
                    .filter(o -> !(o instanceof TcObject.SfqQdisc)).forEach(objects::add);
            for (TcObject o : objects) {
                t.run(() -> t.backend.tc().add(o));
                tc(t, o.describe().replace(" dev bra ", " dev brb "));
            }
            HtbClassChange change = TcPlans.updateRate("bra", 2, NETWORK, 1500);
            t.run(() -> t.backend.tc().change(change));
            tc(t, change.describe().replace(" dev bra ", " dev brb "));
            for (String what : List.of("qdisc", "class", "filter")) {
                String ours = t.ns.execOk("tc", "-j", "-d", what, "show", "dev", "bra");
                String theirs = t.ns.execOk("tc", "-j", "-d", what, "show", "dev", "brb");
                assertEquals(theirs, ours, what);
            }
            String classes = t.ns.execOk("tc", "-d", "class", "show", "dev", "bra");
            assertTrue(classes.contains("class htb 1:2 parent 1:1 prio 0 quantum 85 rate 12Mbit ceil 16Mbit"), classes);
            assertTrue(t.ns.execOk("tc", "filter", "show", "dev", "bra").contains("flowid 1:a"));
            assertTrue(t.ns.execOk("tc", "qdisc", "show", "dev", "bra", "ingress").contains("ingress ffff:"));

            TcObject.MacFilter f = (TcObject.MacFilter) objects.stream().filter(o -> o instanceof TcObject.MacFilter).findFirst().orElseThrow();
            t.run(() -> t.backend.tc().delete(f));
            assertFalse(t.ns.execOk("tc", "filter", "show", "dev", "bra").contains("flowid 1:3"));
            t.run(() -> t.backend.tc().clear("bra"));
            t.run(() -> t.backend.tc().clear("bra")); // nothing left: no error
            assertEquals("", t.ns.execOk("tc", "class", "show", "dev", "bra").trim());
            String qdiscs = t.ns.execOk("tc", "qdisc", "show", "dev", "bra");
            assertFalse(qdiscs.contains("htb") || qdiscs.contains("ingress"), qdiscs);
        }
    }

    @Test
    void whatThisKernelLacksIsRefusedToUsAsToTc() {
        try (NetlinkNs t = NetlinkNs.create("tc-miss")) {
            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("bra"));
                t.backend.createBridge(BridgeSpec.of("brb"));
            });
            for (TcObject o : TcPlans.set("bra", NETWORK, true)) {
                boolean tcAccepts = t.ns.exec(o.describe().replace(" dev bra ", " dev brb ").split(" ")).ok();
                Optional<KernelException> refused = t.in(() -> {
                    try {
                        t.backend.tc().add(o);
                        return Optional.<KernelException>empty();
                    } catch (KernelException e) {
                        return Optional.of(e);
                    }
                });
                assertEquals(tcAccepts, refused.isEmpty(), o.describe() + ": " + refused.map(Exception::getMessage).orElse("accepted"));
                refused.ifPresent(e -> assertTrue(e.kernelMessage().isPresent(), e.getMessage()));
            }
        }
    }

    private static void tc(NetlinkNs t, String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        t.ns.execOk(args.toArray(String[]::new));
    }
}
