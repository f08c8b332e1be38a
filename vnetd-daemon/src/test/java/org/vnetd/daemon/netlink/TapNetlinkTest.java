package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.vnetd.core.link.BridgeSpec;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkInfo;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.testing.NetnsExecutor;

class TapNetlinkTest {
    @Test
    void persistentTapWithOwnerGroupAndFeatures() {
        try (NetlinkNs t = NetlinkNs.create("tap-pers")) {
            String name = t.in(() -> t.backend.createTap(TapSpec.of("vnet0").withOwner(4242, 4343).withVnetHdr(true)));
            assertEquals("vnet0", name);
            JsonNode l = t.ipLink("vnet0");
            assertNotNull(l, "tap outlives our descriptor");
            JsonNode d = l.at("/linkinfo/info_data");
            assertEquals("tun", l.at("/linkinfo/info_kind").asText());
            assertEquals("tap", d.get("type").asText(), d.toString());
            assertEquals(false, d.get("pi").asBoolean());
            assertEquals(true, d.get("vnet_hdr").asBoolean());
            assertEquals(false, d.get("multi_queue").asBoolean());
            assertEquals(true, d.get("persist").asBoolean());
            assertEquals("4242", d.get("user").asText(), d.toString());
            assertEquals("4343", d.get("group").asText(), d.toString());

            LinkInfo ours = t.in(() -> t.backend.getLink("vnet0").orElseThrow());
            assertEquals(Optional.of("tun"), ours.kind());
            assertTrue(ours.mac().isPresent());

            t.run(() -> {
                t.backend.createBridge(BridgeSpec.of("virbr0"));
                t.backend.setMaster("vnet0", "virbr0");
                t.backend.setUp("vnet0");
            });
            assertEquals("virbr0", t.json("bridge", "-j", "link", "show").get(0).get("master").asText());

            t.run(() -> t.backend.deleteLink("vnet0"));
            assertNull(t.ipLink("vnet0"));
        }
    }

    @Test
    void multiQueueAndTemplateName() {
        try (NetlinkNs t = NetlinkNs.create("tap-mq")) {
            t.run(() -> t.backend.createTap(TapSpec.of("vnet0")));
            String name = t.in(() -> t.backend.createTap(TapSpec.of("vnet%d").withMultiQueue(true)));
            assertEquals("vnet1", name, "the kernel completes the template with the first free number");
            assertEquals(true, t.ipLink("vnet1").at("/linkinfo/info_data/multi_queue").asBoolean());
        }
    }

    @Test
    void anExistingNameIsRefusedNeverAttachedTo() {
        try (NetlinkNs t = NetlinkNs.create("tap-dup")) {
            t.run(() -> t.backend.createTap(TapSpec.of("vnet0")));
            for (TapSpec again : List.of(TapSpec.of("vnet0"), TapSpec.of("vnet0").withMultiQueue(true))) {
                KernelException e = assertThrows(KernelException.class, () -> t.run(() -> t.backend.createTap(again)));
                assertEquals("EBUSY", e.errnoName(), e.getMessage());
                assertEquals(Optional.of("vnet0"), e.interfaceName());
                assertTrue(e.getMessage().contains("a link of that name exists already"), e.getMessage());
            }
            KernelException o = assertThrows(KernelException.class, () -> t.run(() -> t.backend.openTap(TapSpec.of("vnet0"), 1)));
            assertEquals("EBUSY", o.errnoName(), o.getMessage());
            t.run(() -> t.backend.createBridge(BridgeSpec.of("br0")));
            KernelException b = assertThrows(KernelException.class, () -> t.run(() -> t.backend.createTap(TapSpec.of("br0"))));
            assertEquals("EBUSY", b.errnoName(), b.getMessage());
            assertEquals("bridge", t.ipLink("br0").at("/linkinfo/info_kind").asText(), "the bridge is untouched");
        }
    }

    @Test
    void nonPersistentTapLivesAsLongAsItsDescriptors() {
        try (NetlinkNs t = NetlinkNs.create("tap-fd")) {
            TapHandle h = t.in(() -> t.backend.openTap(TapSpec.of("vnet%d").withMultiQueue(true).withVnetHdr(true), 3));
            try {
                assertEquals("vnet0", h.name());
                assertEquals(3, h.fds().size());
                assertTrue(h.fds().stream().allMatch(fd -> fd > 2));
                JsonNode l = t.ipLink("vnet0");
                assertNotNull(l);
                assertEquals(false, l.at("/linkinfo/info_data/persist").asBoolean());
                assertEquals(3, l.get("num_tx_queues").asInt() >= 3 ? 3 : -1, l.toString());
            } finally {
                h.close();
            }
            assertNull(t.ipLink("vnet0"), "closing the last descriptor removes the tap");
            h.close(); // twice is harmless
            assertThrows(IllegalArgumentException.class, () -> t.in(() -> t.backend.openTap(TapSpec.of("vnet1"), 2)));
        }
    }

    @Test
    void tapOwnedByAnotherUidCannotBeOpenedByUs() {
        try (NetlinkNs t = NetlinkNs.create("tap-uid")) {
            t.run(() -> t.backend.createTap(TapSpec.of("vnet0").withOwner(4242, 4242)));
            // a second thread in the namespace becomes uid/gid 4343 (per-thread syscalls: the rest of the JVM
            // stays root) and tries to attach to the tap owned by 4242. It keeps fsuid 0 only so that it can
            // open /dev/net/tun (mode 0600 here), as a VM user could where the node is 0666; CAP_NET_ADMIN is
            // gone with the euid change, so the tun driver's owner check decides.
            try (NetnsExecutor other = NetnsExecutor.enter(t.ns)) {
                other.run(() -> becomeOnThisThread(4343, 4343));
                KernelException e = assertThrows(KernelException.class,
                        () -> other.call(() -> new TunDevices().open(TapSpec.of("vnet0"), 1, false)));
                assertEquals("EPERM", e.errnoName(), e.getMessage());
                assertTrue(e.getMessage().contains("belongs to another user"), e.getMessage());
            }
            // its owner may attach to it
            try (NetnsExecutor owner = NetnsExecutor.enter(t.ns)) {
                owner.run(() -> becomeOnThisThread(4242, 4242));
                TapHandle h = owner.call(() -> new TunDevices().open(TapSpec.of("vnet0"), 1, false));
                h.close();
            }
            assertNotNull(t.ipLink("vnet0"), "the persistent tap survives its users");
            assertEquals(List.of("lo", "vnet0"), t.ipLinkNames());
        }
    }

    private static final long SYS_SETRESUID = 117;
    private static final long SYS_SETRESGID = 119;
    private static final long SYS_SETFSUID = 122;

    /**
     * Raw syscalls act on the calling thread only (glibc's wrappers would change every thread). The
     * saved ids stay 0; the thread is discarded afterwards anyway.
     */
    private static void becomeOnThisThread(int uid, int gid) {
        check(syscall(SYS_SETRESGID, gid, gid, 0), "setresgid");
        check(syscall(SYS_SETRESUID, uid, uid, 0), "setresuid");
        syscall(SYS_SETFSUID, 0, 0, 0); // returns the previous fsuid, not a status
    }

    private static void check(long rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + rc);
        }
    }

    private static long syscall(long nr, int a, int b, int c) {
        Linker linker = Linker.nativeLinker();
        MethodHandle sys = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(1));
        try {
            return (long) sys.invokeExact(nr, a, b, c);
        } catch (Throwable x) {
            throw new IllegalStateException(x);
        }
    }
}
