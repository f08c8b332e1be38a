package org.vnetd.daemon.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.link.KernelException;
import org.vnetd.core.link.LinkRef;
import org.vnetd.core.link.TapHandle;
import org.vnetd.core.link.TapSpec;
import org.vnetd.daemon.sys.Libc;

/**
 * Taps through {@code /dev/net/tun} (linux/if_tun.h): TUNSETIFF with IFF_TAP|IFF_NO_PI (and
 * IFF_VNET_HDR, IFF_MULTI_QUEUE as asked), then TUNSETOWNER/TUNSETGROUP, then TUNSETPERSIST last: if
 * an earlier step fails, closing the descriptor removes the half-made device, so a failed create leaves
 * nothing behind. The tap lands in the network namespace of the thread that opens /dev/net/tun.
 */
final class TunDevices {
    // _IOW('T', nr, int) = (1 << 30) | (sizeof(int) << 16) | ('T' << 8) | nr
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNSETOWNER = 0x400454ccL;
    static final long TUNSETGROUP = 0x400454ceL;
    static final long TUNGETIFF = 0x800454d2L;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_VNET_HDR = 0x4000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    /** TUNSETIFF fails with EBUSY instead of attaching when a link of that name exists. */
    static final short IFF_TUN_EXCL = (short) 0x8000;
    /** struct ifreq: char ifr_name[16] then a 24-byte union whose first member we use is short ifr_flags. */
    private static final int IFREQ_LEN = 40;
    private static final int IFNAMSIZ = 16;
    private static final String TUN_PATH = "/dev/net/tun";

    /** Creates a persistent tap and returns the kernel's name for it. */
    String createPersistent(TapSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            int fd = openTun(st, arena, spec.name());
            try {
                String name = setIff(st, arena, fd, spec, true);
                setOwner(st, fd, spec, name);
                if (Libc.ioctl(st, fd, TUNSETPERSIST, 1L) < 0) {
                    throw Errno.exception("make tap persistent", name, st.errno(), null);
                }
                return name;
            } finally {
                Libc.close(st, fd);
            }
        }
    }

    /** Opens {@code queues} descriptors of a new non-persistent tap; all are closed again if one step fails. */
    TapHandle open(TapSpec spec, int queues) {
        return open(spec, queues, true);
    }

    /**
     * {@code create} false attaches to an existing tap instead (as a VM's own TUNSETIFF does: the tests
     * play that part).
     */
    TapHandle open(TapSpec spec, int queues, boolean create) {
        if (queues < 1) {
            throw new IllegalArgumentException("a tap needs at least one queue, not " + queues);
        }
        if (queues > 1 && !spec.multiQueue()) {
            throw new IllegalArgumentException("tap " + spec.name() + ": " + queues + " queues need multiQueue");
        }
        List<Integer> fds = new ArrayList<>(queues);
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            String name = spec.name();
            try {
                for (int q = 0; q < queues; q++) {
                    int fd = openTun(st, arena, name);
                    fds.add(fd);
                    // the first TUNSETIFF creates the device (resolving a %d template); later ones attach queues
                    name = setIff(st, arena, fd, q == 0 ? spec : spec.withName(name), create && q == 0);
                    if (q == 0) {
                        setOwner(st, fd, spec, name);
                    }
                }
            } catch (RuntimeException e) {
                for (int fd : fds) {
                    Libc.close(st, fd);
                }
                throw e;
            }
            return new Handle(name, fds);
        }
    }

    /**
     * {@code queues} descriptors of a macvtap's character device, {@code /dev/tapN} (N its ifindex, made by the
     * kernel's devtmpfs). The ifindex is only unique in its namespace while /dev is shared: TUNGETIFF checks that the
     * node is this macvtap, by name, before anything is passed on.
     */
    TapHandle openMacvtap(LinkRef macvtap, int queues, boolean vnetHdr) {
        if (queues < 1) {
            throw new IllegalArgumentException("a macvtap needs at least one queue, not " + queues);
        }
        String path = "/dev/tap" + macvtap.index();
        List<Integer> fds = new ArrayList<>(queues);
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            try {
                for (int q = 0; q < queues; q++) {
                    int fd = Libc.open(st, arena.allocateFrom(path), Libc.O_RDWR | Libc.O_CLOEXEC);
                    if (fd < 0) {
                        throw Errno.exception("open " + path + " of macvtap", macvtap.name(), st.errno(), null);
                    }
                    fds.add(fd);
                    MemorySegment ifr = arena.allocate(IFREQ_LEN, 8);
                    if (Libc.ioctl(st, fd, TUNGETIFF, ifr) < 0) {
                        throw Errno.exception("identify " + path + " of macvtap", macvtap.name(), st.errno(), null);
                    }
                    String owner = ifr.getString(0, StandardCharsets.US_ASCII);
                    if (!owner.equals(macvtap.name())) {
                        throw Errno.exception("open " + path + " of macvtap", macvtap.name(), Errno.EEXIST,
                                path + " is the device of '" + owner + "' (another network namespace's macvtap of the same ifindex)");
                    }
                    // a macvtap's queues come with the virtio-net header on; the port asks for it or not, like a tap's
                    ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (vnetHdr ? IFF_VNET_HDR : 0)));
                    if (Libc.ioctl(st, fd, TUNSETIFF, ifr) < 0) {
                        throw Errno.exception("set the flags of " + path + " of macvtap", macvtap.name(), st.errno(), null);
                    }
                }
            } catch (RuntimeException e) {
                for (int fd : fds) {
                    Libc.close(st, fd);
                }
                throw e;
            }
            return new Handle(macvtap.name(), fds);
        }
    }

    private static int openTun(Libc.CallState st, Arena arena, String name) {
        int fd = Libc.open(st, arena.allocateFrom(TUN_PATH), Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw Errno.exception("open " + TUN_PATH + " for tap", name, st.errno(), null);
        }
        return fd;
    }

    /**
     * {@code create}: the device must be new; a plain name then carries IFF_TUN_EXCL, so an existing link of
     * that name is an EBUSY, not a device we attach to (a name picked by us needs no lookup first, and the
     * kernel's own {@code %d} completion, which scans every link of the namespace, is not needed).
     */
    private static String setIff(Libc.CallState st, Arena arena, int fd, TapSpec spec, boolean create) {
        MemorySegment ifr = arena.allocate(IFREQ_LEN, 8);
        byte[] n = spec.name().getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, Math.min(n.length, IFNAMSIZ - 1));
        short flags = (short) (IFF_TAP | IFF_NO_PI | (spec.vnetHdr() ? IFF_VNET_HDR : 0)
                | (spec.multiQueue() ? IFF_MULTI_QUEUE : 0) | (create && !spec.name().contains("%") ? IFF_TUN_EXCL : 0));
        ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, flags);
        if (Libc.ioctl(st, fd, TUNSETIFF, ifr) < 0) {
            int errno = st.errno();
            String hint = switch (errno) {
                case Errno.EPERM -> "the tap exists and belongs to another user or group, or we lack CAP_NET_ADMIN";
                case Errno.EBUSY -> create ? "a link of that name exists already"
                        : "the tap is already open elsewhere (a single-queue tap takes one opener)";
                case Errno.EINVAL -> "a device of that name exists and is not a tap with the same flags"
                        + " (another kind of link, or different vnet_hdr/multi_queue)";
                default -> null;
            };
            KernelException e = Errno.exception("create tap", spec.name(), errno, null);
            throw hint == null ? e : e.withNote("likely cause: " + hint);
        }
        return ifr.getString(0, StandardCharsets.US_ASCII);
    }

    private static void setOwner(Libc.CallState st, int fd, TapSpec spec, String name) {
        if (spec.ownerUid().isPresent() && Libc.ioctl(st, fd, TUNSETOWNER, spec.ownerUid().getAsInt()) < 0) {
            throw Errno.exception("set owner uid " + spec.ownerUid().getAsInt() + " of tap", name, st.errno(), null);
        }
        if (spec.ownerGid().isPresent() && Libc.ioctl(st, fd, TUNSETGROUP, spec.ownerGid().getAsInt()) < 0) {
            throw Errno.exception("set owner gid " + spec.ownerGid().getAsInt() + " of tap", name, st.errno(), null);
        }
    }

    /** Our descriptors of a non-persistent tap. */
    private static final class Handle implements TapHandle {
        private final String name;
        private final List<Integer> fds;
        private boolean closed;

        Handle(String name, List<Integer> fds) {
            this.name = name;
            this.fds = List.copyOf(fds);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public synchronized List<Integer> fds() {
            if (closed) {
                throw new IllegalStateException("tap " + name + " descriptors are closed");
            }
            return fds;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (Arena arena = Arena.ofConfined()) {
                Libc.CallState st = new Libc.CallState(arena);
                KernelException first = null;
                for (int fd : fds) {
                    if (Libc.close(st, fd) < 0 && first == null) {
                        first = Errno.exception("close descriptor " + fd + " of tap", name, st.errno(), null);
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        }
    }
}
