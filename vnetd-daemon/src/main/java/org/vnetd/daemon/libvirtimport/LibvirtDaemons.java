package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Stops the dnsmasq and radvd libvirt runs for a network. A stopped libvirtd leaves them running, so
 * their pid files are what names them; a pid is trusted only while its command line is still that
 * program for that network (a pid may have been reused since the file was written).
 */
final class LibvirtDaemons {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDaemons.class);
    private static final long TERM_WAIT_MS = 5_000;
    private static final long KILL_WAIT_MS = 2_000;

    private LibvirtDaemons() {
    }

    /**
     * Ends {@code pid} if its command line runs {@code program} with {@code networkMark} in an argument
     * (libvirt's {@code --conf-file=…/NAME.conf}); SIGTERM, then SIGKILL after 5 s. Returns whether it
     * stopped a process.
     */
    static boolean stop(long pid, String program, String networkMark) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || commandLine(pid, program, networkMark).isEmpty()) {
            return false;
        }
        ProcessHandle p = h.get();
        p.destroy();
        if (!waitFor(p, TERM_WAIT_MS)) {
            LOG.warn("libvirt's {} (pid {}) did not end on SIGTERM within {} ms; killing it", program, pid, TERM_WAIT_MS);
            p.destroyForcibly();
            if (!waitFor(p, KILL_WAIT_MS)) {
                throw VnetException.of(ErrorCode.INTERNAL, "libvirt's %s (pid %d) does not end", program, pid);
            }
        }
        LOG.info("stopped libvirt's {} (pid {}) for {}", program, pid, networkMark);
        return true;
    }

    /**
     * The arguments {@code pid} runs with, when it runs {@code program} with {@code networkMark} in an argument;
     * empty when it is gone or something else (a reused pid), which is logged.
     */
    static Optional<List<String>> commandLine(long pid, String program, String networkMark) {
        Optional<String> cmdline = cmdline(pid);
        if (cmdline.isEmpty() || cmdline.get().isEmpty()) {
            return Optional.empty();
        }
        Optional<List<String>> argv = matching(cmdline.get(), program, networkMark);
        if (argv.isEmpty()) {
            LOG.warn("pid {} is not libvirt's {} for {} any more ({}); left alone", pid, program, networkMark,
                    cmdline.get().replace('\0', ' ').trim());
        }
        return argv;
    }

    /** Whether {@code pid} runs {@code program} with {@code networkMark} in an argument now (and is not a zombie). */
    static boolean runs(long pid, String program, String networkMark) {
        return !ended(pid) && cmdline(pid).flatMap(c -> matching(c, program, networkMark)).isPresent();
    }

    private static Optional<List<String>> matching(String cmdline, String program, String networkMark) {
        if (cmdline.isEmpty()) {
            return Optional.empty();
        }
        List<String> argv = List.of(cmdline.split("\0"));
        boolean isProgram = Path.of(argv.getFirst()).getFileName().toString().equals(program);
        boolean forNetwork = argv.stream().anyMatch(a -> a.contains(networkMark));
        return isProgram && forNetwork ? Optional.of(argv) : Optional.empty();
    }

    /**
     * Polls {@code /proc/PID/stat} every 5 ms: {@link ProcessHandle#onExit} of a process that is not our child
     * polls with a backoff that made each takeover wait about two seconds, and a zombie (ended, its parent not
     * yet reaping it) counts as ended here.
     */
    private static boolean waitFor(ProcessHandle p, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            if (ended(p.pid())) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VnetException(ErrorCode.INTERNAL, "interrupted while waiting for pid " + p.pid() + " to end", e);
            }
        } while (System.nanoTime() < deadline);
        return ended(p.pid());
    }

    /** Gone, or a zombie ({@code Z}) or dead ({@code X}) in {@code /proc/PID/stat}'s state field. */
    static boolean ended(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read the state of pid " + pid + ": " + e.getMessage(), e);
        }
        int close = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
        char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return state == 'Z' || state == 'X';
    }

    private static Optional<String> cmdline(long pid) {
        try {
            return Optional.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read the command line of pid " + pid + ": " + e.getMessage(), e);
        }
    }
}
