package org.vnetd.daemon.ra;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.ra.NdpMessage;
import org.vnetd.daemon.sys.Libc;

/**
 * A raw ICMPv6 socket on one bridge (there is no raw socket in the JDK or netty, hence FFM): bound to
 * the device, passing only router solicitations in (ICMP6_FILTER), joined to all-routers (ff02::2) on
 * it, receiving each datagram's hop limit, and sending with hop limit 255 to all-nodes (ff02::1), as
 * RFC 4861 §6.1.1 and §6.2.6 require. The kernel fills in and checks the ICMPv6 checksum. One thread
 * uses it at a time (the service's loop, then its stop).
 */
final class Icmp6Socket implements AutoCloseable {
    private static final int AF_INET6 = 10;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPPROTO_ICMPV6 = 58;
    private static final int SO_BINDTODEVICE = 25;
    private static final int SO_RXQ_OVFL = 40;
    private static final int ICMP6_FILTER = 1;
    private static final int IPV6_UNICAST_HOPS = 16;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int IPV6_MULTICAST_HOPS = 18;
    private static final int IPV6_MULTICAST_LOOP = 19;
    private static final int IPV6_ADD_MEMBERSHIP = 20;
    private static final int IPV6_RECVHOPLIMIT = 51;
    private static final int IPV6_HOPLIMIT = 52;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int SOCKADDR_IN6 = 28;
    private static final int EADDRINUSE = 98;
    private static final ValueLayout.OfInt INT_NET = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** One received datagram: its length in the buffer, the IPv6 hop limit it arrived with, its source. */
    /**
     * One datagram; {@code overflowed} is the socket's running count of datagrams the kernel dropped
     * because the receive queue was full (SO_RXQ_OVFL), since the socket was opened.
     */
    record Received(int length, int hopLimit, Inet6Address source, long overflowed) {
    }

    private final Arena arena = Arena.ofShared();
    private final Libc.CallState st = new Libc.CallState(arena);
    private final String device;
    private final int fd;
    private final int ifindex;
    private final MacAddress mac;
    private final MemorySegment buffer = arena.allocate(1500);
    private final MemorySegment name = arena.allocate(SOCKADDR_IN6);
    private final MemorySegment control = arena.allocate(64, 8);
    private final MemorySegment iov = arena.allocate(16, 8);
    private final MemorySegment msg = arena.allocate(56, 8);
    private final MemorySegment pollfd = arena.allocate(8, 4);
    private final MemorySegment allNodes = arena.allocate(SOCKADDR_IN6);
    private final MemorySegment out = arena.allocate(1280);

    private Icmp6Socket(String device, OptionalInt passed) {
        this.device = device;
        int s = passed.isPresent() ? passed.getAsInt() : Libc.socket(st, AF_INET6, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, IPPROTO_ICMPV6);
        if (s < 0) {
            throw fail("open a raw ICMPv6 socket");
        }
        this.fd = s;
        try {
            MemorySegment ifreq = arena.allocate(40);
            byte[] n = device.getBytes(StandardCharsets.US_ASCII);
            if (n.length == 0 || n.length > 15) {
                throw new VnetException(ErrorCode.KERNEL, "interface name '" + device + "' must be 1-15 characters");
            }
            MemorySegment.copy(n, 0, ifreq, ValueLayout.JAVA_BYTE, 0, n.length);
            if (Libc.ioctl(st, fd, SIOCGIFINDEX, ifreq) < 0) {
                throw fail("find the index of " + device);
            }
            this.ifindex = ifreq.get(ValueLayout.JAVA_INT, 16);
            if (Libc.ioctl(st, fd, SIOCGIFHWADDR, ifreq) < 0) {
                throw fail("read the MAC address of " + device);
            }
            this.mac = MacAddress.of(ifreq.asSlice(18, 6).toArray(ValueLayout.JAVA_BYTE));
            MemorySegment dev = arena.allocate(16);
            MemorySegment.copy(n, 0, dev, ValueLayout.JAVA_BYTE, 0, n.length);
            setsockopt(Libc.SOL_SOCKET, SO_BINDTODEVICE, dev, "bind to " + device);
            MemorySegment filter = arena.allocate(32, 4);
            for (int i = 0; i < 8; i++) {
                filter.setAtIndex(ValueLayout.JAVA_INT, i, -1); // a set bit blocks its type
            }
            int rs = NdpMessage.ICMP_ROUTER_SOLICITATION;
            filter.setAtIndex(ValueLayout.JAVA_INT, rs >> 5, ~(1 << (rs & 31)));
            setsockopt(IPPROTO_ICMPV6, ICMP6_FILTER, filter, "pass only router solicitations");
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "set the multicast hop limit to 255");
            setInt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "set the unicast hop limit to 255");
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "turn multicast loopback off");
            setInt(IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "send multicast through " + device);
            setInt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "receive hop limits");
            // a flood that fills the queue loses solicitations before they are read: counted, not silent
            setInt(Libc.SOL_SOCKET, SO_RXQ_OVFL, 1, "count receive queue overflows");
            MemorySegment mreq = arena.allocate(20, 4);
            mreq.set(INT_NET, 0, 0xff020000);
            mreq.set(INT_NET, 12, 2);
            mreq.set(ValueLayout.JAVA_INT, 16, ifindex);
            // a socket kept across a daemon restart is a member already (EADDRINUSE)
            if (Libc.setsockopt(st, fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq, (int) mreq.byteSize()) < 0
                    && !(passed.isPresent() && st.errno() == EADDRINUSE)) {
                throw fail("join ff02::2 on " + device);
            }
            allNodes.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET6);
            allNodes.set(INT_NET, 8, 0xff020000);
            allNodes.set(INT_NET, 20, 1);
            allNodes.set(ValueLayout.JAVA_INT, 24, ifindex);
            iov.set(ValueLayout.ADDRESS, 0, buffer);
            iov.set(ValueLayout.JAVA_LONG, 8, buffer.byteSize());
        } catch (RuntimeException e) {
            Libc.close(st, fd);
            arena.close();
            throw e;
        }
    }

    static Icmp6Socket open(String device) {
        return new Icmp6Socket(device, OptionalInt.empty());
    }

    /**
     * Sets up {@code passed}, the socket an earlier daemon opened on {@code device} (kept by systemd across
     * the restart, with the solicitations that queued in it), or a new one when empty; the options are set
     * again either way.
     */
    static Icmp6Socket open(String device, OptionalInt passed) {
        return new Icmp6Socket(device, passed);
    }

    int fd() {
        return fd;
    }

    MacAddress mac() {
        return mac;
    }

    /** Waits up to {@code timeoutMillis} for a datagram; null when none came. The bytes are in {@link #copy}. */
    Received receive(int timeoutMillis) {
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, (short) Libc.POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int r = Libc.poll(st, pollfd, 1, timeoutMillis);
        if (r < 0) {
            if (st.errno() == Libc.EINTR) {
                return null;
            }
            throw fail("poll");
        }
        if (r == 0) {
            return null;
        }
        msg.fill((byte) 0);
        msg.set(ValueLayout.ADDRESS, 0, name);
        msg.set(ValueLayout.JAVA_INT, 8, SOCKADDR_IN6);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, 1);
        msg.set(ValueLayout.ADDRESS, 32, control);
        msg.set(ValueLayout.JAVA_LONG, 40, control.byteSize());
        long n = Libc.recvmsg(st, fd, msg, Libc.MSG_DONTWAIT);
        if (n < 0) {
            if (st.errno() == Libc.EAGAIN || st.errno() == Libc.EINTR) {
                return null;
            }
            throw fail("receive");
        }
        long controlLength = msg.get(ValueLayout.JAVA_LONG, 40);
        return new Received((int) n, hopLimit(controlLength), source(), overflowed(controlLength));
    }

    /** The first {@code length} bytes of the last datagram received. */
    byte[] copy(int length) {
        return buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private int hopLimit(long controlLength) {
        long at = controlMessage(controlLength, IPPROTO_IPV6, IPV6_HOPLIMIT);
        return at < 0 ? -1 : control.get(ValueLayout.JAVA_INT, at); // unknown: the engine drops it, as it cannot prove the sender is on-link
    }

    private long overflowed(long controlLength) {
        long at = controlMessage(controlLength, Libc.SOL_SOCKET, SO_RXQ_OVFL);
        // the kernel adds the message only once the socket has dropped something
        return at < 0 ? 0 : Integer.toUnsignedLong(control.get(ValueLayout.JAVA_INT, at));
    }

    /** Where the 4-byte data of the control message {@code level}/{@code type} starts, -1 when there is none. */
    private long controlMessage(long controlLength, int wantedLevel, int wantedType) {
        long at = 0;
        while (at + 16 <= controlLength) {
            long len = control.get(ValueLayout.JAVA_LONG, at);
            int level = control.get(ValueLayout.JAVA_INT, at + 8);
            int type = control.get(ValueLayout.JAVA_INT, at + 12);
            if (level == wantedLevel && type == wantedType && len >= 20) {
                return at + 16;
            }
            if (len < 16) {
                break;
            }
            at += (len + 7) & ~7L;
        }
        return -1;
    }

    private Inet6Address source() {
        try {
            return Inet6Address.getByAddress(null, name.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE), -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** Sends one ICMPv6 message (at most 1280 bytes) to ff02::1 through the bridge. */
    void sendAllNodes(byte[] icmp) {
        if (icmp.length > out.byteSize()) {
            throw new IllegalArgumentException("an advertisement of " + icmp.length + " bytes exceeds the IPv6 minimum MTU");
        }
        MemorySegment.copy(icmp, 0, out, ValueLayout.JAVA_BYTE, 0, icmp.length);
        if (Libc.sendto(st, fd, out, icmp.length, 0, allNodes, SOCKADDR_IN6) < 0) {
            throw fail("send to ff02::1");
        }
    }

    private void setInt(int level, int option, int value, String what) {
        MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
        v.set(ValueLayout.JAVA_INT, 0, value);
        setsockopt(level, option, v, what);
    }

    private void setsockopt(int level, int option, MemorySegment value, String what) {
        if (Libc.setsockopt(st, fd, level, option, value, (int) value.byteSize()) < 0) {
            throw fail(what);
        }
    }

    private VnetException fail(String what) {
        int errno = st.errno();
        return new VnetException(ErrorCode.KERNEL, "router advertisements on " + device + ": cannot " + what + ": "
                + Libc.strerror(errno) + " (errno " + errno + ")");
    }

    @Override
    public void close() {
        Libc.close(st, fd);
        arena.close();
    }
}
