package org.vnetd.daemon.activation;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.daemon.sys.Libc;
import org.vnetd.daemon.systemd.SdNotify;

/**
 * The daemon's side of socket activation and of systemd's file-descriptor store. At start it holds the
 * descriptors systemd passed ({@link ListenFds}: the socket units' listening sockets, and the services'
 * sockets an earlier daemon stored), and each service {@link #take}s the one of its name instead of
 * binding a new socket: requests that arrived while no daemon ran are still queued in it. A socket a
 * service binds itself is {@link #opened handed to the store} ({@code FDSTORE=1}, {@code FDNAME=}), and
 * one it closes for good (the network stops) is {@link #closed removed} ({@code FDSTOREREMOVE=1}); once
 * the daemon is {@link #exiting}, closing removes nothing, so the next daemon gets every socket back.
 * Without systemd (no {@code $NOTIFY_SOCKET}, no {@code $LISTEN_FDS}) nothing is passed or stored, and
 * services bind fresh sockets as before.
 */
public final class ServiceSockets {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceSockets.class);

    private final SdNotify notify;
    private final Map<String, Deque<Integer>> passed = new LinkedHashMap<>();
    private volatile boolean exiting;

    public ServiceSockets(ListenFds fds, SdNotify notify) {
        this.notify = notify;
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            for (ListenFds.Passed p : fds.fds()) {
                // as sd_listen_fds(3) does: ours only, not inherited by the firewall tools we run
                if (Libc.fcntl(st, p.fd(), Libc.F_SETFD, Libc.FD_CLOEXEC) < 0) {
                    LOG.warn("descriptor {} ('{}') passed by systemd is not usable: {}", p.fd(), p.name(), Libc.strerror(st.errno()));
                    continue;
                }
                passed.computeIfAbsent(p.name(), n -> new ArrayDeque<>()).add(p.fd());
            }
        }
        if (!passed.isEmpty()) {
            LOG.info("systemd passed {} socket(s): {}", fds.fds().size(), String.join(", ", passed.keySet()));
        }
    }

    /** No service manager: every service binds its own sockets and nothing is stored. */
    public static ServiceSockets none() {
        return new ServiceSockets(ListenFds.none(), new SdNotify(java.util.Optional.empty()));
    }

    /** The passed socket named {@code name}, now the caller's to use and close; empty when none was passed. */
    public synchronized OptionalInt take(String name) {
        Deque<Integer> fds = passed.get(name);
        if (fds == null || fds.isEmpty()) {
            return OptionalInt.empty();
        }
        int fd = fds.poll();
        if (fds.isEmpty()) {
            passed.remove(name);
        }
        return OptionalInt.of(fd);
    }

    /** A service bound a new socket {@code fd}: kept by systemd across a restart of the daemon. */
    public void opened(String name, int fd) {
        notify.sendWithFds("FDSTORE=1\nFDNAME=" + name, fd);
    }

    /** A service closed its socket {@code name} for good; ignored once the daemon is exiting. */
    public void closed(String name) {
        if (!exiting) {
            notify.send("FDSTOREREMOVE=1\nFDNAME=" + name);
        }
    }

    /** The daemon stops: the sockets its services close from now on stay stored for the next one. */
    public void exiting() {
        exiting = true;
    }

    /**
     * After the start (networks adopted, autostart done): closes the passed sockets no service took (their
     * network was destroyed or changed while no daemon ran) and removes them from the store.
     * @return their names
     */
    public synchronized List<String> closeUnclaimed() {
        List<String> names = new ArrayList<>(passed.keySet());
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState st = new Libc.CallState(arena);
            for (Map.Entry<String, Deque<Integer>> e : passed.entrySet()) {
                for (int fd : e.getValue()) {
                    Libc.close(st, fd);
                }
                closed(e.getKey());
            }
        }
        passed.clear();
        if (!names.isEmpty()) {
            LOG.info("closed {} passed socket(s) no network uses any more: {}", names.size(), String.join(", ", names));
        }
        return names;
    }
}
