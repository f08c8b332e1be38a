package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * How libvirt ran one of a network's daemons (dnsmasq, radvd), taken before vnetd stops it, so a takeover
 * that fails afterwards can start it again as libvirt did: the same arguments (its own config file), the
 * environment libvirt gives it, and, when it ran in another mount namespace than vnetd (a libvirtd with
 * private mounts), in that namespace, which is held open until then. Like libvirt, this waits for the
 * daemon's parent to exit: the daemon forks, writes its pid file and has bound its sockets by then.
 */
final class LibvirtDaemonRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDaemonRun.class);

    private final String program;
    private final long pid;
    private final List<String> argv;
    private final Map<String, String> environment;
    private final HeldNamespace mountNamespace;

    private LibvirtDaemonRun(String program, long pid, List<String> argv, Map<String, String> environment, HeldNamespace mountNamespace) {
        this.program = program;
        this.pid = pid;
        this.argv = List.copyOf(argv);
        this.environment = Map.copyOf(environment);
        this.mountNamespace = mountNamespace;
    }

    /**
     * How {@code pid} runs, when it is libvirt's {@code program} for the network ({@code networkMark} in an
     * argument); empty otherwise.
     *
     * @param environment what libvirt sets: its daemons get only that ({@code execve} with libvirt's list)
     */
    static Optional<LibvirtDaemonRun> of(long pid, String program, String networkMark, Map<String, String> environment) {
        Optional<List<String>> argv = LibvirtDaemons.commandLine(pid, program, networkMark);
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LibvirtDaemonRun(program, pid, argv.get(), environment, foreignMountNamespace(pid)));
    }

    /** The program's name, as libvirt's pid file named it. */
    String program() {
        return program;
    }

    /**
     * Starts it again for {@code network}, as {@code launcher} starts libvirt's daemons; throws when it does not
     * start (its exit status and output say why).
     */
    void start(CommandRunner runner, LibvirtDaemonLauncher launcher, String network) {
        List<String> daemon = new ArrayList<>();
        if (mountNamespace != null) {
            Path ns = heldNamespacePath().orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                    "cannot start libvirt's %s again: the mount namespace it ran in (%s) is no longer held", program, mountNamespace.id()));
            daemon.addAll(List.of("nsenter", "--mount=" + ns, "--"));
        }
        daemon.addAll(List.of("env", "-i"));
        environment.forEach((k, v) -> daemon.add(k + "=" + v));
        daemon.addAll(argv);
        List<String> command = launcher.command(network, program, pid, daemon);
        CommandResult r = runner.run(command, null);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.INTERNAL, "cannot start libvirt's %s again (exit %d): %s; the command was: %s", program,
                    r.exitCode(), (r.stderr() + r.stdout()).trim(), String.join(" ", command));
        }
        LOG.info("started libvirt's {} again: {}", program, String.join(" ", argv));
    }

    @Override
    public void close() {
        if (mountNamespace != null) {
            try {
                mountNamespace.channel().close();
            } catch (IOException e) {
                LOG.debug("closing a held mount namespace: {}", e.toString());
            }
        }
    }

    /**
     * The mount namespace {@code pid} runs in, opened, when it is not this process's; null when it is the same
     * or cannot be told (then it is started in this one).
     */
    private static HeldNamespace foreignMountNamespace(long pid) {
        Path theirs = Path.of("/proc", Long.toString(pid), "ns", "mnt");
        try {
            Path id = Files.readSymbolicLink(theirs);
            if (id.equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))) {
                return null;
            }
            return new HeldNamespace(id.toString(), FileChannel.open(theirs, StandardOpenOption.READ));
        } catch (IOException | SecurityException e) {
            LOG.debug("the mount namespace of pid {} cannot be told ({}); its daemon would start in vnetd's", pid, e.toString());
            return null;
        }
    }

    /** A namespace kept alive by an open descriptor; {@code id} is its link text, e.g. {@code mnt:[4026532281]}. */
    private record HeldNamespace(String id, FileChannel channel) {
    }

    /**
     * A path naming the held namespace for a child process: {@code /proc/PID/fd/N} of this process's descriptor,
     * found by its link text (a channel does not give its descriptor's number).
     */
    private Optional<Path> heldNamespacePath() {
        if (mountNamespace == null || !mountNamespace.channel().isOpen()) {
            return Optional.empty();
        }
        Path self = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(self)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(mountNamespace.id())) {
                        return Optional.of(fd);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + self + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }
}
