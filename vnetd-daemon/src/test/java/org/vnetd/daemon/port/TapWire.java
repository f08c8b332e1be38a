package org.vnetd.daemon.port;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.unix.FileDescriptor;

/**
 * A guest without a hypervisor: a tap inside the guest's namespace (its NIC, with the guest's MAC) wired frame by
 * frame to the descriptor of a port vnetd made with {@code passFd} — what QEMU does between a tap and a virtio NIC.
 * The guest keeps its NIC (and its addresses) when the wire is moved to another port's descriptor, which is how
 * a test migrates it. Two relay threads per connection, each polling its source with a short timeout so that a
 * disconnect stops them within that time.
 */
public final class TapWire implements AutoCloseable {
    private static final int POLLIN = 1;
    private static final int POLL_MS = 50;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POLL = handle("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final TapHandle guestNic;
    private final List<Thread> relays = new ArrayList<>();
    private FileDescriptor port;
    private volatile boolean connected;

    private TapWire(TapHandle guestNic) {
        this.guestNic = guestNic;
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
    }

    /** Makes the guest's NIC {@code ifname} with {@code mac} in {@code guest}, up, not yet wired to anything. */
    public static TapWire nic(TestNetns guest, String ifname, String mac) {
        TapHandle nic;
        try (NetnsExecutor inGuest = NetnsExecutor.enter(guest)) {
            nic = inGuest.call(() -> {
                try (NetlinkLinkBackend links = NetlinkLinkBackend.open()) {
                    return links.openTap(new TapSpec(ifname, OptionalInt.empty(), OptionalInt.empty(), false, false), 1);
                }
            });
        }
        guest.execOk("ip", "link", "set", ifname, "address", mac, "up");
        return new TapWire(nic);
    }

    /** Wires the NIC to {@code port} (made with passFd by {@code daemon}), after unwiring it from any earlier one. */
    public synchronized void connect(DaemonProcess daemon, JsonNode port) throws Exception {
        disconnect();
        try (FdClient fds = new FdClient(daemon.socket())) {
            this.port = fds.take(port.get("fdToken").asText(), 1).get(0);
        }
        connected = true;
        int nicFd = guestNic.fds().get(0);
        int portFd = this.port.intValue();
        relays.add(Thread.ofPlatform().daemon().name("wire-out").start(() -> relay(nicFd, portFd)));
        relays.add(Thread.ofPlatform().daemon().name("wire-in").start(() -> relay(portFd, nicFd)));
    }

    /** Stops the relays (within one poll timeout) and closes the port's descriptor. */
    public synchronized void disconnect() throws Exception {
        connected = false;
        for (Thread t : relays) {
            t.join(10_000);
            if (t.isAlive()) {
                throw new AssertionError("relay thread " + t.getName() + " did not stop");
            }
        }
        relays.clear();
        if (port != null) {
            port.close();
            port = null;
        }
    }

    private void relay(int from, int to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(8, 4);
            MemorySegment buf = arena.allocate(65536);
            while (connected) {
                pfd.set(ValueLayout.JAVA_INT, 0, from);
                pfd.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
                pfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                if ((int) POLL.invokeExact(pfd, 1L, POLL_MS) <= 0) {
                    continue;
                }
                long n = (long) READ.invokeExact(from, buf, buf.byteSize());
                if (n < 0) {
                    // the device went (its port deleted) and poll keeps answering at once: do not spin until disconnect
                    java.util.concurrent.locks.LockSupport.parkNanos(POLL_MS * 1_000_000L);
                } else if (n > 0) {
                    // a frame the other side cannot take (its device down) is dropped, as on a wire
                    long ignored = (long) WRITE.invokeExact(to, buf, n);
                }
            }
        } catch (Throwable e) {
            throw new IllegalStateException("relay " + from + " -> " + to + ": " + e, e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            disconnect();
        } finally {
            guestNic.close();
        }
    }
}
