package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The mount namespaces libvirt's daemons ran in when they were not vnetd's (a libvirtd with private mounts, as
 * the tests run it). One is held open from the release until the network is given back or the takeover is
 * done, since stopping its last process would end it; a daemon restarted since (after a crash) finds it
 * through a process still in it, as the host's namespace always has.
 */
final class MountNamespaces {
    private static final Logger LOG = LoggerFactory.getLogger(MountNamespaces.class);
    private static final Path PROC = Path.of("/proc");

    /** Held namespaces by link text ({@code mnt:[N]}), with how many releases hold each. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    private record Held(FileChannel channel, int holders) {
    }

    /**
     * The link text of {@code pid}'s mount namespace when it is not this process's; empty when it is the same or
     * cannot be told (under the packaged unit vnetd may not read another user's namespaces: then systemd starts
     * the daemon again, in the host's).
     */
    static Optional<String> foreign(long pid) {
        try {
            String theirs = Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("ns/mnt")).toString();
            return theirs.equals(Files.readSymbolicLink(PROC.resolve("self/ns/mnt")).toString()) ? Optional.empty() : Optional.of(theirs);
        } catch (IOException | SecurityException e) {
            LOG.debug("the mount namespace of pid {} cannot be told ({}); its daemon would start where the launcher starts it", pid, e.toString());
            return Optional.empty();
        }
    }

    /** Holds the namespace {@code id} that {@code pid} runs in open, so it outlives its last process. */
    void hold(String id, long pid) {
        held.compute(id, (k, h) -> {
            if (h != null) {
                return new Held(h.channel(), h.holders() + 1);
            }
            Path ns = PROC.resolve(Long.toString(pid)).resolve("ns/mnt");
            try {
                if (!Files.readSymbolicLink(ns).toString().equals(id)) {
                    throw VnetException.of(ErrorCode.INTERNAL, "pid %d left the mount namespace %s", pid, id);
                }
                return new Held(FileChannel.open(ns, StandardOpenOption.READ), 1);
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot hold the mount namespace " + id + " of pid " + pid + ": " + e.getMessage(), e);
            }
        });
    }

    /** Lets go of one hold of {@code id}; the last one closes it. */
    void release(String id) {
        held.computeIfPresent(id, (k, h) -> {
            if (h.holders() > 1) {
                return new Held(h.channel(), h.holders() - 1);
            }
            try {
                h.channel().close();
            } catch (IOException e) {
                LOG.debug("closing the held mount namespace {}: {}", id, e.toString());
            }
            return null;
        });
    }

    /**
     * A path naming namespace {@code id} for a child process ({@code nsenter --mount=PATH}): this process's
     * descriptor of it when held, else the namespace of a process still in it; empty when it is gone.
     */
    Optional<Path> path(String id) {
        if (held.containsKey(id)) {
            Optional<Path> fd = find(PROC.resolve(Long.toString(ProcessHandle.current().pid())).resolve("fd"), id);
            if (fd.isPresent()) {
                return fd;
            }
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : procs) {
                Path ns = p.resolve("ns/mnt");
                try {
                    if (Files.readSymbolicLink(ns).toString().equals(id)) {
                        return Optional.of(ns);
                    }
                } catch (IOException | SecurityException e) {
                    // ended meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + PROC + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    /** The entry of {@code fds} (a {@code /proc/PID/fd}) whose link text is {@code id}: a channel does not give its descriptor's number. */
    private static Optional<Path> find(Path fds, String id) {
        try (DirectoryStream<Path> all = Files.newDirectoryStream(fds)) {
            for (Path fd : all) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(id)) {
                        return Optional.of(fd);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + fds + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }
}
