package org.vnetd.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One platform thread that lives in a test's network namespace. The network namespace is a
 * per-thread attribute in Linux: sockets (netlink, UDP, netty channels) created and processes
 * spawned from this thread belong to the namespace, while the rest of the test JVM stays in the
 * root namespace. Use it to run our real kernel-facing code inside {@link TestNetns}.
 */
public final class NetnsExecutor implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;

    private final ExecutorService thread;
    private final String netns;

    private NetnsExecutor(String netns) {
        this.netns = netns;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + netns);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the thread and moves it into {@code ns}; fails if setns(2) fails. */
    public static NetnsExecutor enter(TestNetns ns) {
        NetnsExecutor ex = new NetnsExecutor(ns.name());
        try {
            ex.call(() -> {
                Libc.setns("/run/netns/" + ns.name());
                return null;
            });
        } catch (RuntimeException e) {
            ex.close();
            throw e;
        }
        return ex;
    }

    /** Runs {@code task} on the namespace thread, waiting at most 60 s. */
    public <T> T call(Callable<T> task) {
        Future<T> f = thread.submit(task);
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("task in namespace " + netns + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** The two libc calls the harness needs, through FFM (no native code of our own). */
    private static final class Libc {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle OPEN = LINKER.downcallHandle(
                LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        private static final MethodHandle SETNS = LINKER.downcallHandle(
                LINKER.defaultLookup().find("setns").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        private static final MethodHandle CLOSE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        static void setns(String path) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
                int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY);
                if (fd < 0) {
                    throw new IllegalStateException("open " + path + " failed, errno " + errno(state));
                }
                try {
                    int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
                    if (rc != 0) {
                        throw new IllegalStateException("setns " + path + " failed, errno " + errno(state));
                    }
                } finally {
                    int ignored = (int) CLOSE.invokeExact(fd);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static int errno(MemorySegment state) {
            return state.get(ValueLayout.JAVA_INT,
                    Linker.Option.captureStateLayout().byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
        }
    }
}
