package org.vnetd.testing.systemd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays systemd's part for one {@code Type=notify} service with socket units and a file-descriptor store,
 * as far as the daemon can tell: the tests have no systemd. It holds listening Unix sockets
 * ({@link #listen}, a socket unit's {@code ListenStream=} with {@code FileDescriptorName=}); starts the
 * service with them and the stored descriptors at 3, 4, … and {@code LISTEN_PID}, {@code LISTEN_FDS},
 * {@code LISTEN_FDNAMES}, {@code NOTIFY_SOCKET} set; reads the service's notifications on its notify
 * socket, accepting only the main process's ({@code NotifyAccess=main}, checked with SCM_CREDENTIALS):
 * {@code READY=1}, {@code FDSTORE=1} with {@code FDNAME=} and the descriptors of SCM_RIGHTS (kept; one
 * already stored is not stored twice), {@code FDSTOREREMOVE=1}. {@link #restart} is {@code systemctl
 * restart}: SIGTERM, wait for the exit, read what the old process sent before it exited, start again with
 * the sockets and the store. Nothing here is systemd's code; it follows sd_listen_fds(3),
 * sd_notify(3) and systemd.service(5).
 */
public final class ServiceManager implements AutoCloseable {
    private final Path dir;
    private final int notifyFd;
    private final Path notifySocket;
    private final Map<String, Integer> listening = new LinkedHashMap<>();
    /** name → descriptors, in the order stored. */
    private final Map<String, List<Integer>> store = new LinkedHashMap<>();
    private final int storeMax;
    private final List<String> log = new ArrayList<>();
    private String[] argv;
    private Map<String, String> env;
    private int mainPid;
    private boolean running;
    private boolean ready;
    private int starts;

    /** @param storeMax FileDescriptorStoreMax=: descriptors beyond it are closed, as systemd does */
    public ServiceManager(Path dir, int storeMax) {
        this.dir = dir;
        this.storeMax = storeMax;
        this.notifySocket = dir.resolve("notify");
        this.notifyFd = Posix.unixSocket(Posix.SOCK_DGRAM, notifySocket.toString());
        Posix.setIntOption(notifyFd, Posix.SOL_SOCKET, Posix.SO_PASSCRED, 1);
    }

    /** A socket unit: a listening stream socket at {@code path} with mode {@code mode}, passed as {@code name}. */
    public synchronized ServiceManager listen(String name, Path path, String mode) throws java.io.IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        int fd = Posix.unixSocket(Posix.SOCK_STREAM, path.toString());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        listening.put(name, fd);
        return this;
    }

    /**
     * Starts the service: {@code command} exec'd (through {@code sh}, which sets {@code LISTEN_PID} to its own
     * pid and execs it, so the pid is the main process's) with {@code environment} plus the activation
     * variables; its output goes to {@code log-N.txt} in the directory.
     */
    public synchronized void start(List<String> command, Map<String, String> environment) {
        argv = command.toArray(String[]::new);
        env = Map.copyOf(environment);
        spawn();
    }

    private void spawn() {
        starts++;
        List<String> names = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        listening.forEach((n, fd) -> {
            names.add(n);
            fds.add(fd);
        });
        store.forEach((n, list) -> list.forEach(fd -> {
            names.add(n);
            fds.add(fd);
        }));
        List<String> e = new ArrayList<>();
        env.forEach((k, v) -> e.add(k + "=" + v));
        e.add("NOTIFY_SOCKET=" + notifySocket);
        if (!fds.isEmpty()) {
            e.add("LISTEN_FDS=" + fds.size());
            e.add("LISTEN_FDNAMES=" + String.join(":", names));
        }
        List<String> a = new ArrayList<>(List.of("/bin/sh", "-c", "export LISTEN_PID=$$; exec \"$@\"", "sh"));
        a.addAll(List.of(argv));
        ready = false;
        mainPid = Posix.spawn(a.toArray(String[]::new), e.toArray(String[]::new), logFile().toString(),
                fds.stream().mapToInt(Integer::intValue).toArray());
        running = true;
        log.add("start " + starts + ": pid " + mainPid + ", " + fds.size() + " fd(s): " + String.join(",", names));
    }

    public synchronized Path logFile() {
        return dir.resolve("log-" + starts + ".txt");
    }

    public synchronized int mainPid() {
        return mainPid;
    }

    /** Reads notifications until {@code READY=1} from the main process; fails if it exits first or the time runs out. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                pump();
                if (ready) {
                    return;
                }
                if (waitMain(0) != -1) {
                    throw new AssertionError("the service exited before READY=1; its log:\n" + readLog());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no READY=1 within " + timeout + "; its log:\n" + readLog());
            }
            Posix.readable(notifyFd, (int) Math.min(200, Math.max(1, left / 1_000_000)));
        }
    }

    /**
     * {@code systemctl restart}: SIGTERM to the main process, wait for its exit (failing after {@code timeout}),
     * read what it notified before it exited, and start it again with the listening sockets and the store.
     * @return the old process's wait status
     */
    public synchronized int restart(Duration timeout) {
        int status = stopMain(timeout);
        spawn();
        return status;
    }

    /** {@code systemctl stop} of the main process, keeping the store (as a restart does); returns its wait status. */
    public synchronized int stopMain(Duration timeout) {
        if (!running) {
            throw new AssertionError("the service is not running; its log:\n" + readLog());
        }
        Posix.kill(mainPid, Posix.SIGTERM);
        int status = waitMain((int) timeout.toMillis());
        if (status == -1) {
            Posix.kill(mainPid, Posix.SIGKILL);
            waitMain(10_000);
            throw new AssertionError("the service did not stop within " + timeout + " of SIGTERM; its log:\n" + readLog());
        }
        pump(); // systemd, too, reads a dead service's last notifications before it acts on its exit
        return status;
    }

    /** Starts the service again after {@link #stopMain}. */
    public synchronized void startAgain() {
        spawn();
    }

    /** The names in the store, one entry per descriptor. */
    public synchronized List<String> stored() {
        pump();
        List<String> out = new ArrayList<>();
        store.forEach((n, l) -> l.forEach(fd -> out.add(n)));
        return out;
    }

    /** What happened, for a failing test's message. */
    public synchronized List<String> events() {
        return List.copyOf(log);
    }

    public synchronized String readLog() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile()) : "(no log)";
        } catch (java.io.IOException e) {
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }

    /** Reaps the main process if it exited within {@code millis}: its wait status, or -1 while it runs. */
    private int waitMain(int millis) {
        if (!running) {
            throw new IllegalStateException("no main process");
        }
        int status = Posix.awaitExit(mainPid, millis);
        if (status != -1) {
            running = false;
        }
        return status;
    }

    /** Handles every notification waiting on the socket. */
    private void pump() {
        try (Arena arena = Arena.ofConfined()) {
            Posix.Errno e = new Posix.Errno(arena);
            MemorySegment buf = arena.allocate(4096);
            MemorySegment control = arena.allocate(4096, 8);
            MemorySegment iov = arena.allocate(16, 8);
            MemorySegment msg = arena.allocate(56, 8);
            while (true) {
                iov.set(ValueLayout.ADDRESS, 0, buf);
                iov.set(ValueLayout.JAVA_LONG, 8, buf.byteSize());
                msg.fill((byte) 0);
                msg.set(ValueLayout.ADDRESS, 16, iov);
                msg.set(ValueLayout.JAVA_LONG, 24, 1);
                msg.set(ValueLayout.ADDRESS, 32, control);
                msg.set(ValueLayout.JAVA_LONG, 40, control.byteSize());
                long n = Posix.recvmsg(e, notifyFd, msg, Posix.MSG_DONTWAIT | Posix.MSG_CMSG_CLOEXEC);
                if (n < 0) {
                    if (e.value() == Posix.EAGAIN) {
                        return;
                    }
                    if (e.value() == Posix.EINTR) {
                        continue;
                    }
                    throw new IllegalStateException("recvmsg on the notify socket: " + Posix.strerror(e.value()));
                }
                String text = new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                int sender = -1;
                List<Integer> fds = new ArrayList<>();
                long controlLength = msg.get(ValueLayout.JAVA_LONG, 40);
                for (long at = 0; at + 16 <= controlLength;) {
                    long len = control.get(ValueLayout.JAVA_LONG, at);
                    int level = control.get(ValueLayout.JAVA_INT, at + 8);
                    int type = control.get(ValueLayout.JAVA_INT, at + 12);
                    if (level == Posix.SOL_SOCKET && type == Posix.SCM_RIGHTS) {
                        for (long p = at + 16; p + 4 <= at + len; p += 4) {
                            fds.add(control.get(ValueLayout.JAVA_INT, p));
                        }
                    } else if (level == Posix.SOL_SOCKET && type == Posix.SCM_CREDENTIALS) {
                        sender = control.get(ValueLayout.JAVA_INT, at + 16);
                    }
                    if (len < 16) {
                        break;
                    }
                    at += (len + 7) & ~7L;
                }
                handle(text, sender, fds);
            }
        }
    }

    private void handle(String text, int sender, List<Integer> fds) {
        if (sender != mainPid) {
            log.add("ignored a notification from pid " + sender + " (main is " + mainPid + "): " + text.replace('\n', ' '));
            fds.forEach(Posix::close);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if ("1".equals(fields.get("READY"))) {
            ready = true;
        }
        String name = fields.getOrDefault("FDNAME", "stored");
        if ("1".equals(fields.get("FDSTOREREMOVE"))) {
            List<Integer> gone = store.remove(name);
            if (gone != null) {
                gone.forEach(Posix::close);
            }
            log.add("store: removed " + name);
        }
        if ("1".equals(fields.get("FDSTORE"))) {
            for (int fd : fds) {
                if (isStored(fd) || size() >= storeMax) {
                    Posix.close(fd);
                } else {
                    store.computeIfAbsent(name, k -> new ArrayList<>()).add(fd);
                    log.add("store: kept " + name);
                }
            }
        } else {
            fds.forEach(Posix::close); // descriptors sent without FDSTORE=1 are not kept
        }
    }

    private boolean isStored(int fd) {
        String id = Posix.identity(fd);
        return store.values().stream().flatMap(List::stream).anyMatch(s -> Posix.identity(s).equals(id));
    }

    private int size() {
        return store.values().stream().mapToInt(List::size).sum();
    }

    /** Kills the service if it runs and closes every socket held. */
    @Override
    public synchronized void close() {
        if (running) {
            Posix.kill(mainPid, Posix.SIGKILL);
            waitMain(10_000);
        }
        store.values().forEach(l -> l.forEach(Posix::close));
        store.clear();
        listening.values().forEach(Posix::close);
        listening.clear();
        Posix.close(notifyFd);
    }
}
