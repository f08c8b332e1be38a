package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * How libvirt ran one of a network's daemons (dnsmasq, radvd), taken before vnetd stops it and kept in the
 * release's journal ({@link ReleaseJournal}), so a takeover that fails afterwards, or a daemon that crashed in
 * the middle of one, can start it again as libvirt did: the same arguments (its own config file), the
 * environment libvirt gives it, and the mount namespace it ran in when that was not vnetd's (a libvirtd with
 * private mounts; {@link MountNamespaces}). Like libvirt, the start waits for the daemon's parent to exit: the
 * daemon forks, writes its pid file and has bound its sockets by then.
 *
 * @param program        the program's name, as libvirt's pid file named it
 * @param pid            the pid it ran with
 * @param networkMark    what names the network in its arguments ({@code /NAME.conf})
 * @param pidFile        libvirt's pid file of it, where a daemon started again writes its pid; null when not known
 * @param argv           its arguments
 * @param environment    what libvirt sets: its daemons get only that ({@code execve} with libvirt's list)
 * @param mountNamespace the link text ({@code mnt:[N]}) of the mount namespace it ran in, when that was not vnetd's;
 *                       null when it was, or could not be told (then it starts where the launcher starts it)
 */
record LibvirtDaemonRun(String program, long pid, String networkMark, String pidFile, List<String> argv, Map<String, String> environment,
        String mountNamespace) {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDaemonRun.class);

    LibvirtDaemonRun {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /**
     * How {@code pid} runs, when it is libvirt's {@code program} for the network ({@code networkMark} in an
     * argument); empty otherwise.
     */
    static Optional<LibvirtDaemonRun> of(long pid, String program, String networkMark, Path pidFile, Map<String, String> environment) {
        return LibvirtDaemons.commandLine(pid, program, networkMark).map(argv -> new LibvirtDaemonRun(program, pid, networkMark,
                pidFile == null ? null : pidFile.toString(), argv, environment, MountNamespaces.foreign(pid).orElse(null)));
    }

    /** Whether it runs: the pid it ran with, or the one in libvirt's pid file (a start since), is still this daemon for the network. */
    boolean running() {
        if (LibvirtDaemons.runs(pid, program, networkMark)) {
            return true;
        }
        if (pidFile == null) {
            return false;
        }
        try {
            long now = Long.parseLong(Files.readString(Path.of(pidFile)).trim());
            return LibvirtDaemons.runs(now, program, networkMark);
        } catch (IOException | NumberFormatException e) {
            return false; // no pid file (dnsmasq removes it when it ends) or a torn one: not running
        }
    }

    /**
     * Starts it again for {@code network}, as {@code launcher} starts libvirt's daemons, in the mount namespace
     * {@code enter} names when there is one; throws when it does not start (its exit status and output say why).
     */
    void start(CommandRunner runner, LibvirtDaemonLauncher launcher, String network, Optional<Path> enter) {
        List<String> daemon = new ArrayList<>();
        if (mountNamespace != null) {
            Path ns = enter.orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                    "cannot start libvirt's %s again: the mount namespace it ran in (%s) is gone (no process is left in it)", program,
                    mountNamespace));
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
}
