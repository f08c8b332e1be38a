package org.vnetd.daemon.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls the daemon makes itself (netlink, tun devices, socket descriptors), bound with
 * {@code java.lang.foreign} (no native code of our own). Each call returns the raw result; a negative
 * result means failure and the caller reads errno from the {@link CallState} it passed, which must
 * belong to the calling thread's call.
 */
public final class Libc {
    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    /** SO_RCVTIMEO_OLD on x86-64: a struct timeval of two longs. */
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_NETLINK = 270;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int POLLIN = 0x1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_SETFD = 2;
    public static final int FD_CLOEXEC = 1;
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SCM_RIGHTS = 1;
    public static final int MSG_NOSIGNAL = 0x4000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_HANDLE = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
    private static final MethodHandle SENDTO = bind("sendto", FunctionDescriptor.of(L, I, P, L, I, P, I));
    private static final MethodHandle RECV = bind("recv", FunctionDescriptor.of(L, I, P, L, I));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(L, I, P, I));
    private static final MethodHandle SENDMSG = bind("sendmsg", FunctionDescriptor.of(L, I, P, I));
    private static final MethodHandle CLOCK_GETTIME = bind("clock_gettime", FunctionDescriptor.of(I, I, P));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(I, P, L, I));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(I, P, I));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(I, I));
    /** ioctl is variadic after the request; TUNSETIFF takes a pointer, TUNSETOWNER etc. a plain value. */
    private static final MethodHandle IOCTL_PTR = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(I, I, L, P), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = LINKER.downcallHandle(LIBC.find("ioctl").orElseThrow(),
            FunctionDescriptor.of(I, I, L, L), ERRNO, Linker.Option.firstVariadicArg(2));
    /** fcntl is variadic after the command; F_DUPFD_CLOEXEC takes an int. */
    private static final MethodHandle FCNTL_INT = LINKER.downcallHandle(LIBC.find("fcntl").orElseThrow(),
            FunctionDescriptor.of(I, I, I, I), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SIGNAL = LINKER.downcallHandle(LIBC.find("signal").orElseThrow(),
            FunctionDescriptor.of(P, I, P));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(P.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), I));

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name)),
                fd, ERRNO);
    }

    /**
     * Un-ignores {@code signum} if whoever started the process ignored it (as {@code nohup} does SIGHUP): the
     * JVM will not take over a signal that it inherited ignored. A disposition that is not "ignore" is put
     * back at once, so the JVM's own handler stays. Returns whether it was ignored.
     */
    public static boolean unignoreSignal(int signum) {
        try {
            MemorySegment previous = (MemorySegment) SIGNAL.invokeExact(signum, MemorySegment.NULL); // SIG_DFL
            if (previous.address() == 1L) { // SIG_IGN
                return true;
            }
            MemorySegment ignored = (MemorySegment) SIGNAL.invokeExact(signum, previous);
            return false;
        } catch (Throwable t) {
            throw new IllegalStateException("signal(" + signum + ")", t);
        }
    }

    /** Where a call leaves errno; one per thread of use (callers keep one per synchronized object). */
    public static final class CallState {
        final MemorySegment segment;

        public CallState(Arena arena) {
            this.segment = arena.allocate(Linker.Option.captureStateLayout());
        }

        public int errno() {
            return (int) ERRNO_HANDLE.get(segment, 0L);
        }
    }

    public static int socket(CallState st, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(st.segment, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(CallState st, int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(st.segment, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(CallState st, int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(st.segment, fd, level, name, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long sendto(CallState st, int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return (long) SENDTO.invokeExact(st.segment, fd, buf, len, flags, addr, addrLen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long recv(CallState st, int fd, MemorySegment buf, long len, int flags) {
        try {
            return (long) RECV.invokeExact(st.segment, fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code msghdr} is the caller's x86-64 {@code struct msghdr} (56 bytes). */
    public static long recvmsg(CallState st, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(st.segment, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code msghdr} is the caller's x86-64 {@code struct msghdr} (56 bytes). */
    public static long sendmsg(CallState st, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(st.segment, fd, msghdr, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code ts} is a {@code struct timespec} (two longs). */
    public static int clockGettime(CallState st, int clock, MemorySegment ts) {
        try {
            return (int) CLOCK_GETTIME.invokeExact(st.segment, clock, ts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int poll(CallState st, MemorySegment fds, long nfds, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(st.segment, fds, nfds, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int open(CallState st, MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(st.segment, path, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(CallState st, int fd) {
        try {
            return (int) CLOSE.invokeExact(st.segment, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctl(CallState st, int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL_PTR.invokeExact(st.segment, fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ioctl(CallState st, int fd, long request, long arg) {
        try {
            return (int) IOCTL_LONG.invokeExact(st.segment, fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int fcntl(CallState st, int fd, int cmd, int arg) {
        try {
            return (int) FCNTL_INT.invokeExact(st.segment, fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** glibc's text for an errno ("File exists"); glibc returns static strings for known values. */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "" : s.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
