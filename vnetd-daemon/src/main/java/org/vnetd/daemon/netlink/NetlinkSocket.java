package org.vnetd.daemon.netlink;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.link.KernelException;
import org.vnetd.daemon.sys.Libc;

/**
 * An rtnetlink socket ({@code AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE}) with extended and
 * capped ACKs. Requests carry {@code NLM_F_ACK} and a fresh sequence number; the reply with that number
 * decides the outcome, anything else (a late reply of an earlier, abandoned request) is skipped. Dumps are
 * read to {@code NLMSG_DONE} and repeated when the kernel flags them inconsistent (NLM_F_DUMP_INTR).
 * <p>
 * The socket belongs to the network namespace of the thread that opened it; every operation on it acts
 * there, whichever thread calls. Calls are serialised (one request in flight).
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private static final int SOCKADDR_NL_LEN = 12;
    private static final int DUMP_ATTEMPTS = 5;
    /** struct ifreq: char ifr_name[IFNAMSIZ] then a 24-byte union. */
    private static final int IFREQ_LEN = 40;
    private static final int IFNAMSIZ = 16;
    static final long REPLY_TIMEOUT_S = 30;

    private final Arena arena = Arena.ofShared();
    private final Libc.CallState state = new Libc.CallState(arena);
    private final MemorySegment sendBuf = arena.allocate(BUFFER, 8);
    private final MemorySegment recvBuf = arena.allocate(BUFFER, 8);
    private final MemorySegment kernelAddr = arena.allocate(SOCKADDR_NL_LEN, 4);
    /** struct pollfd {int fd; short events; short revents;}, reused by every {@link #poll}. */
    private final MemorySegment pollFd = arena.allocate(8, 4);
    private final int fd;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd, int initialSeq) {
        this.fd = fd;
        this.seq = initialSeq;
        kernelAddr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK); // nl_pid 0: the kernel
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's namespace, subscribed to {@code groups} (bitmask). */
    static NetlinkSocket open(int groups) {
        try (Arena tmp = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(tmp);
            int fd = Libc.socket(st, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Nl.NETLINK_ROUTE);
            if (fd < 0) {
                throw Errno.exception("open netlink socket", null, st.errno(), null);
            }
            try {
                MemorySegment one = tmp.allocateFrom(ValueLayout.JAVA_INT, 1);
                // extended ACKs give the kernel's text; capped ACKs spare us our own request echoed back
                checkSockopt(st, Libc.setsockopt(st, fd, Nl.SOL_NETLINK_LEVEL, Nl.NETLINK_EXT_ACK, one, 4), "NETLINK_EXT_ACK");
                checkSockopt(st, Libc.setsockopt(st, fd, Nl.SOL_NETLINK_LEVEL, Nl.NETLINK_CAP_ACK, one, 4), "NETLINK_CAP_ACK");
                if (groups == 0) {
                    // a request socket never waits forever for the kernel: recv gives up after REPLY_TIMEOUT_S
                    MemorySegment tv = tmp.allocate(16, 8); // struct timeval {long tv_sec; long tv_usec;}
                    tv.set(ValueLayout.JAVA_LONG, 0, REPLY_TIMEOUT_S);
                    checkSockopt(st, Libc.setsockopt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16), "SO_RCVTIMEO");
                } else {
                    // events can come in bursts (1000 taps); a big buffer makes overruns rare
                    MemorySegment size = tmp.allocateFrom(ValueLayout.JAVA_INT, 4 * 1024 * 1024);
                    Libc.setsockopt(st, fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, 4);
                }
                MemorySegment addr = tmp.allocate(SOCKADDR_NL_LEN, 4);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
                addr.set(ValueLayout.JAVA_INT, 8, groups);
                if (Libc.bind(st, fd, addr, SOCKADDR_NL_LEN) < 0) {
                    throw Errno.exception("bind netlink socket", null, st.errno(), null);
                }
            } catch (RuntimeException e) {
                Libc.close(st, fd);
                throw e;
            }
            return new NetlinkSocket(fd, (int) (System.nanoTime() & 0x3FFFFFFF));
        }
    }

    private static void checkSockopt(Libc.CallState st, int rc, String name) {
        if (rc < 0) {
            throw Errno.exception("set netlink socket option " + name, null, st.errno(), null);
        }
    }

    /**
     * Sends a request with NLM_F_ACK and waits for its ACK. A negative ACK becomes a {@link KernelException}
     * naming {@code operation} and {@code ifname}, with the kernel's extended-ACK text.
     */
    synchronized void request(NlMessageWriter message, String operation, String ifname) {
        int mySeq = send(message, Nl.NLM_F_ACK);
        while (true) {
            for (NlMessage m : receive(true)) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    int error = m.payload().getInt(0);
                    if (error == 0) {
                        return;
                    }
                    throw Errno.exception(operation, ifname, -error, extAckMessage(m).orElse(null));
                }
            }
        }
    }

    /**
     * Sends a request that the kernel answers with exactly one message (RTM_GETLINK by name) and returns
     * it; an error ACK throws as {@link #request} does.
     */
    synchronized NlMessage get(NlMessageWriter message, String operation, String ifname) {
        int mySeq = send(message, 0);
        while (true) {
            for (NlMessage m : receive(true)) {
                if (m.seq() != mySeq) {
                    continue;
                }
                if (m.type() == Nl.NLMSG_ERROR) {
                    int error = m.payload().getInt(0);
                    throw Errno.exception(operation, ifname, -error, extAckMessage(m).orElse(null));
                }
                return m;
            }
        }
    }

    /**
     * An ifreq ioctl answering an int at the union's start (SIOCGIFINDEX, SIOCGIFMTU) for link {@code name},
     * in this socket's namespace. The kernel serves these under RCU (dev_ifsioc_locked), without RTNL, so
     * they never wait behind link changes as RTM_GETLINK does. Empty for ENODEV. Not serialised with the
     * request stream: an ioctl leaves the socket's queue alone.
     */
    OptionalInt ifreqInt(long request, String name, String operation) {
        ensureOpen();
        try (Arena call = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(call);
            MemorySegment ifr = call.allocate(IFREQ_LEN, 8);
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, Math.min(n.length, IFNAMSIZ - 1));
            if (Libc.ioctl(st, fd, request, ifr) < 0) {
                if (st.errno() == Errno.ENODEV) {
                    return OptionalInt.empty();
                }
                throw Errno.exception(operation, name, st.errno(), null);
            }
            return OptionalInt.of(ifr.get(ValueLayout.JAVA_INT, IFNAMSIZ));
        }
    }

    /** Runs a dump (NLM_F_DUMP) and returns every message up to NLMSG_DONE. */
    synchronized List<NlMessage> dump(java.util.function.Supplier<NlMessageWriter> request, String operation) {
        for (int attempt = 1; ; attempt++) {
            int mySeq = send(request.get(), Nl.NLM_F_DUMP);
            List<NlMessage> out = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (NlMessage m : receive(true)) {
                    if (m.seq() != mySeq) {
                        continue;
                    }
                    interrupted |= (m.flags() & Nl.NLM_F_DUMP_INTR) != 0;
                    if (m.type() == Nl.NLMSG_DONE) {
                        int error = m.payload().remaining() >= 4 ? m.payload().getInt(0) : 0;
                        if (error < 0) {
                            throw Errno.exception(operation, null, -error, extAckMessage(m).orElse(null));
                        }
                        done = true;
                        break;
                    }
                    if (m.type() == Nl.NLMSG_ERROR) {
                        int error = m.payload().getInt(0);
                        throw Errno.exception(operation, null, -error, extAckMessage(m).orElse(null));
                    }
                    out.add(m);
                }
            }
            if (!interrupted) {
                return out;
            }
            if (attempt == DUMP_ATTEMPTS) {
                throw new VnetException(ErrorCode.KERNEL, operation + ": the kernel's dump stayed inconsistent after "
                        + DUMP_ATTEMPTS + " attempts (the state changes too fast)");
            }
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for a datagram (events) and returns its messages; empty on
     * timeout. ENOBUFS (events lost) is reported as an {@link KernelException} with that errno.
     */
    synchronized List<NlMessage> poll(int timeoutMillis) {
        ensureOpen();
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, (short) Libc.POLLIN);
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int rc = Libc.poll(state, pollFd, 1, timeoutMillis);
        if (rc < 0) {
            if (state.errno() == Libc.EINTR) {
                return List.of();
            }
            throw Errno.exception("wait for netlink events", null, state.errno(), null);
        }
        if (rc == 0) {
            return List.of();
        }
        return receive(false);
    }

    private int send(NlMessageWriter message, int extraFlags) {
        ensureOpen();
        ByteBuffer b = message.finish();
        int len = b.remaining();
        int mySeq = ++seq;
        b.putShort(6, (short) (b.getShort(6) | Nl.NLM_F_REQUEST | extraFlags));
        b.putInt(8, mySeq);
        MemorySegment.copy(MemorySegment.ofBuffer(b), 0, sendBuf, 0, len);
        while (true) {
            long n = Libc.sendto(state, fd, sendBuf, len, 0, kernelAddr, SOCKADDR_NL_LEN);
            if (n >= 0) {
                return mySeq;
            }
            if (state.errno() != Libc.EINTR) {
                throw Errno.exception("send netlink request", null, state.errno(), null);
            }
        }
    }

    private List<NlMessage> receive(boolean block) {
        ensureOpen();
        while (true) {
            long n = Libc.recv(state, fd, recvBuf, BUFFER, Libc.MSG_TRUNC | (block ? 0 : Libc.MSG_DONTWAIT));
            if (n < 0) {
                int errno = state.errno();
                if (errno == Libc.EINTR) {
                    continue;
                }
                if (errno == Libc.EAGAIN) {
                    if (!block) {
                        return List.of();
                    }
                    throw Errno.exception("wait " + REPLY_TIMEOUT_S + " s for the kernel's netlink reply", null, errno,
                            null);
                }
                throw Errno.exception("receive netlink reply", null, errno, null);
            }
            if (n > BUFFER) {
                throw new VnetException(ErrorCode.KERNEL, "netlink datagram of " + n + " bytes exceeds our "
                        + BUFFER + "-byte buffer");
            }
            ByteBuffer copy = ByteBuffer.allocate((int) n).order(ByteOrder.nativeOrder());
            copy.put(recvBuf.asSlice(0, n).asByteBuffer()).flip();
            return NlMessage.parseAll(copy);
        }
    }

    /** NLMSGERR_ATTR_MSG from an error (or DONE) message, if the kernel attached TLVs. */
    private static Optional<String> extAckMessage(NlMessage m) {
        if ((m.flags() & Nl.NLM_F_ACK_TLVS) == 0) {
            return Optional.empty();
        }
        ByteBuffer p = m.payload();
        int offset;
        if (m.type() == Nl.NLMSG_DONE) {
            offset = 4;
        } else if ((m.flags() & Nl.NLM_F_CAPPED) != 0) {
            offset = 4 + Nl.NLMSG_HDRLEN; // int error + the request's header only
        } else {
            offset = 4 + Nl.align(p.getInt(4)); // int error + the whole request echoed
        }
        if (offset > p.limit()) {
            return Optional.empty();
        }
        return NlAttrs.parse(p, offset).bytes(Nl.NLMSGERR_ATTR_MSG)
                .map(b -> new String(b, StandardCharsets.UTF_8).replace("\0", "").trim())
                .filter(s -> !s.isEmpty());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(state, fd);
            arena.close();
        }
    }
}
