package org.vnetd.testing.systemd;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The few libc calls a stand-in service manager needs that the JDK does not offer: Unix sockets as raw
 * descriptors (to pass them on), recvmsg with SCM_RIGHTS, posix_spawn with descriptors placed at 3, 4, …
 * (ProcessBuilder passes none), pidfd waits and signals. Each call throws {@link IllegalStateException}
 * with errno's text on failure. x86-64 Linux layouts.
 */
final class Posix {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_PASSCRED = 16;
    static final int SCM_RIGHTS = 1;
    static final int SCM_CREDENTIALS = 2;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_APPEND = 0x400;
    static final int SIGTERM = 15;
    static final int SIGKILL = 9;
    static final int POLLIN = 1;
    private static final long SYS_PIDFD_OPEN = 434;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(I, I, I, I));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(L, I, P, I));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(I, I));
    private static final MethodHandle FSTAT = bind("fstat", FunctionDescriptor.of(I, I, P));
    private static final MethodHandle KILL = bind("kill", FunctionDescriptor.of(I, I, I));
    private static final MethodHandle WAITPID = bind("waitpid", FunctionDescriptor.of(I, I, P, I));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(I, P, L, I));
    private static final MethodHandle FCNTL = LINKER.downcallHandle(LIBC.find("fcntl").orElseThrow(),
            FunctionDescriptor.of(I, I, I, I), ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYSCALL2 = LINKER.downcallHandle(LIBC.find("syscall").orElseThrow(),
            FunctionDescriptor.of(L, L, I, I), ERRNO, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle ACTIONS_INIT = plain("posix_spawn_file_actions_init", FunctionDescriptor.of(I, P));
    private static final MethodHandle ACTIONS_DESTROY = plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(I, P));
    private static final MethodHandle ADD_DUP2 = plain("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(I, P, I, I));
    private static final MethodHandle ADD_OPEN = plain("posix_spawn_file_actions_addopen", FunctionDescriptor.of(I, P, I, P, I, I));
    private static final MethodHandle ADD_CLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(I, P, I));
    private static final MethodHandle SPAWN = plain("posix_spawn", FunctionDescriptor.of(I, P, P, P, P, P, P));
    private static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(
            ValueLayout.ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), I));

    private Posix() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name)), fd, ERRNO);
    }

    private static MethodHandle plain(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name)), fd);
    }

    /** errno of the calling thread's last call, one per call site. */
    static final class Errno {
        final MemorySegment segment;

        Errno(Arena arena) {
            segment = arena.allocate(STATE);
        }

        int value() {
            return (int) ERRNO_HANDLE.get(segment, 0L);
        }
    }

    static String strerror(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static IllegalStateException fail(String what, int errno) {
        return new IllegalStateException(what + ": " + strerror(errno));
    }

    /** A {@code struct sockaddr_un} for {@code path}; its length is the segment's size. */
    static MemorySegment unixAddress(Arena arena, String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (b.length >= 108) {
            throw new IllegalArgumentException("socket path too long for sockaddr_un: " + path);
        }
        MemorySegment a = arena.allocate(2 + b.length + 1);
        a.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(b, 0, a, ValueLayout.JAVA_BYTE, 2, b.length);
        return a;
    }

    /** A Unix socket of {@code type} bound to {@code path}; listening when a stream socket. */
    static int unixSocket(int type, String path) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            int fd = (int) SOCKET.invokeExact(e.segment, AF_UNIX, type | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw fail("socket", e.value());
            }
            MemorySegment addr = unixAddress(arena, path);
            if ((int) BIND.invokeExact(e.segment, fd, addr, (int) addr.byteSize()) < 0
                    || type == SOCK_STREAM && (int) LISTEN.invokeExact(e.segment, fd, 1024) < 0) {
                int errno = e.value();
                close(fd);
                throw fail("bind/listen " + path, errno);
            }
            return fd;
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void setIntOption(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, value);
            if ((int) SETSOCKOPT.invokeExact(e.segment, fd, level, option, v, 4) < 0) {
                throw fail("setsockopt " + option, e.value());
            }
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** recvmsg; -1 with errno in {@code e} on failure. */
    static long recvmsg(Errno e, int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(e.segment, fd, msghdr, flags);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** poll one descriptor for input: true when readable. */
    static boolean readable(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            MemorySegment p = arena.allocate(8, 4);
            p.set(ValueLayout.JAVA_INT, 0, fd);
            p.set(ValueLayout.JAVA_SHORT, 4, (short) POLLIN);
            int r = (int) POLL.invokeExact(e.segment, p, 1L, timeoutMillis);
            if (r < 0 && e.value() != EINTR) {
                throw fail("poll", e.value());
            }
            return r > 0;
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(new Errno(arena).segment, fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The (device, inode) of what {@code fd} refers to: two descriptors of one socket have the same. */
    static String identity(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            MemorySegment st = arena.allocate(144, 8);
            if ((int) FSTAT.invokeExact(e.segment, fd, st) < 0) {
                throw fail("fstat " + fd, e.value());
            }
            return st.get(ValueLayout.JAVA_LONG, 0) + ":" + st.get(ValueLayout.JAVA_LONG, 8);
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int dupCloexec(int fd, int atLeast) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            int d = (int) FCNTL.invokeExact(e.segment, fd, F_DUPFD_CLOEXEC, atLeast);
            if (d < 0) {
                throw fail("dup " + fd, e.value());
            }
            return d;
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            if ((int) KILL.invokeExact(e.segment, pid, signal) < 0) {
                throw fail("kill " + pid, e.value());
            }
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for child {@code pid} to exit and reaps it.
     * @return its wait status, or -1 if it still runs
     */
    static int awaitExit(int pid, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            Errno e = new Errno(arena);
            int pidfd = (int) (long) SYSCALL2.invokeExact(e.segment, SYS_PIDFD_OPEN, pid, 0);
            if (pidfd < 0) {
                throw fail("pidfd_open " + pid, e.value());
            }
            try {
                if (!readable(pidfd, timeoutMillis)) {
                    return -1;
                }
            } finally {
                close(pidfd);
            }
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            if ((int) WAITPID.invokeExact(e.segment, pid, status, 0) < 0) {
                throw fail("waitpid " + pid, e.value());
            }
            return status.get(ValueLayout.JAVA_INT, 0);
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * posix_spawnp of {@code argv} with environment {@code env}: stdin from /dev/null, stdout and stderr
     * appended to {@code log}, {@code fds[i]} as descriptor 3+i, and no other descriptor of ours.
     */
    static int spawn(String[] argv, String[] env, String log, int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(256, 16);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            int[] high = new int[fds.length];
            try {
                // first out of the way of 3..N, so placing one never overwrites another's source
                for (int i = 0; i < fds.length; i++) {
                    high[i] = dupCloexec(fds[i], 512);
                }
                check("addopen stdin", (int) ADD_OPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0));
                check("addopen log", (int) ADD_OPEN.invokeExact(actions, 1, arena.allocateFrom(log), O_WRONLY | O_CREAT | O_APPEND, 0644));
                check("adddup2 stderr", (int) ADD_DUP2.invokeExact(actions, 1, 2));
                for (int i = 0; i < fds.length; i++) {
                    check("adddup2", (int) ADD_DUP2.invokeExact(actions, high[i], 3 + i));
                }
                check("addclosefrom", (int) ADD_CLOSEFROM.invokeExact(actions, 3 + fds.length));
                MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
                int r = (int) SPAWN.invokeExact(pid, arena.allocateFrom(argv[0]), actions, MemorySegment.NULL, strings(arena, argv),
                        strings(arena, env));
                if (r != 0) {
                    throw fail("posix_spawn " + argv[0], r);
                }
                return pid.get(ValueLayout.JAVA_INT, 0);
            } finally {
                for (int h : high) {
                    if (h > 0) {
                        close(h);
                    }
                }
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            }
        } catch (RuntimeException | Error x) {
            throw x;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(String what, int r) {
        if (r != 0) {
            throw fail(what, r);
        }
    }

    private static MemorySegment strings(Arena arena, String[] s) {
        MemorySegment a = arena.allocate(ValueLayout.ADDRESS, s.length + 1);
        for (int i = 0; i < s.length; i++) {
            a.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(s[i]));
        }
        a.setAtIndex(ValueLayout.ADDRESS, s.length, MemorySegment.NULL);
        return a;
    }
}
