package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.AddressSpec;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.LinkEvent;
import org.vnetd.core.link.LinkEventStream;
import org.vnetd.core.net.IpPrefix;

class NetlinkEventsTest {
    @Test
    void seesBridgeCreatedAddressedAndDeletedBehindOurBack() {
        try (NetlinkNs t = NetlinkNs.create("nl-event")) {
            LinkEventStream events = t.in(() -> new NetlinkLinkEvents().open());
            try {
                assertEquals(Optional.empty(), events.next(Duration.ofMillis(50)), "nothing happened yet");
                t.run(() -> {
                    t.backend.createBridge(BridgeSpec.of("virbr0").withStp(false));
                    t.backend.addAddress(AddressSpec.ipv4("virbr0", IpPrefix.parse("192.168.122.1/24")));
                });
                List<LinkEvent> seen = new ArrayList<>();
                LinkEvent.LinkUpdated created = (LinkEvent.LinkUpdated) await(events, seen,
                        e -> e instanceof LinkEvent.LinkUpdated u && u.link().name().equals("virbr0"));
                assertEquals(Optional.of("bridge"), created.link().kind());
                LinkEvent.AddressAdded added = (LinkEvent.AddressAdded) await(events, seen,
                        e -> e instanceof LinkEvent.AddressAdded);
                assertEquals("192.168.122.1/24", added.address().prefix().toString());
                assertEquals("virbr0", added.address().ifname());

                // someone else deletes the bridge: the driver must notice
                t.ns.execOk("ip", "link", "del", "virbr0");
                LinkEvent.LinkDeleted deleted = (LinkEvent.LinkDeleted) await(events, seen,
                        e -> e instanceof LinkEvent.LinkDeleted);
                assertEquals("virbr0", deleted.link().name());
                assertTrue(seen.stream().anyMatch(e -> e instanceof LinkEvent.AddressDeleted), seen.toString());
            } finally {
                events.close();
            }
        }
    }

    private static LinkEvent await(LinkEventStream events, List<LinkEvent> seen, Predicate<LinkEvent> wanted) {
        for (int i = 0; i < 50; i++) {
            Optional<LinkEvent> e = events.next(Duration.ofSeconds(2));
            if (e.isEmpty()) {
                break;
            }
            seen.add(e.get());
            if (wanted.test(e.get())) {
                return e.get();
            }
        }
        throw new AssertionError("expected event not seen; got " + seen);
    }
}
