package org.vnetd.daemon.libvirtimport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a daemon libvirt ran (dnsmasq, radvd) is started again when a takeover gives its network back. Started
 * by vnetd itself, it would be vnetd's child: in vnetd's cgroup (a stop or restart of vnetd's unit ends it
 * with {@code KillMode=mixed}) and in its sandbox (a read-only file system but for vnetd's own directories,
 * vnetd's capability bounding set). Under systemd it is therefore started by systemd, as a transient service
 * of its own ({@code systemd-run}), in the host's mount namespace with systemd's defaults, as libvirtd's
 * children run; elsewhere (vnetd run by hand or by a test) vnetd starts it as before.
 */
sealed interface LibvirtDaemonLauncher {
    /** Where systemd keeps its runtime state when it is the init system ({@code sd_booted(3)}). */
    Path SYSTEMD_RUNTIME = Path.of("/run/systemd/system");
    /** What systemd sets for every process it starts for a unit ({@code systemd.exec(5)}). */
    String INVOCATION_ID = "INVOCATION_ID";

    /**
     * The command starting {@code command} (the daemon's own argv, already wrapped in {@code env -i} and any
     * {@code nsenter}) for libvirt's {@code program} of {@code network}, whose pid was {@code stoppedPid}.
     */
    List<String> command(String network, String program, long stoppedPid, List<String> command);

    /**
     * Through systemd when systemd is the init system and vnetd runs as one of its units (both must hold:
     * a vnetd run by hand on a systemd host has no sandbox to leave); directly otherwise.
     */
    static LibvirtDaemonLauncher detect(Map<String, String> environment, Path systemdRuntime) {
        String invocation = environment.get(INVOCATION_ID);
        return invocation != null && !invocation.isEmpty() && Files.isDirectory(systemdRuntime) ? new TransientUnit() : new Direct();
    }

    /** vnetd starts it, as its child; it is re-parented once it forks into the background. */
    record Direct() implements LibvirtDaemonLauncher {
        @Override
        public List<String> command(String network, String program, long stoppedPid, List<String> command) {
            return List.copyOf(command);
        }
    }

    /**
     * {@code systemd-run} asks systemd to start it as a transient service: {@code Type=forking} because libvirt's
     * dnsmasq and radvd fork into the background, so systemd-run returns once the parent exited (the daemon has
     * bound its sockets and written its pid file then, which is what libvirt waits for too) and fails when it
     * exited with an error; {@code --collect} so the unit is gone once the daemon ends (libvirtd stops it by its
     * pid file when it destroys the network), also after a failure. The unit's name says what it is, with the
     * pid of the daemon it replaces, so it never clashes with the unit of an earlier give-back still being collected.
     */
    record TransientUnit() implements LibvirtDaemonLauncher {
        @Override
        public List<String> command(String network, String program, long stoppedPid, List<String> command) {
            List<String> argv = new ArrayList<>(List.of("systemd-run", "--unit=" + unitName(network, program, stoppedPid),
                    "--description=libvirt's " + program + " of network " + network + ", given back by vnetd", "--collect",
                    "--quiet", "--no-ask-password", "--property=Type=forking", "--"));
            argv.addAll(command);
            return List.copyOf(argv);
        }

        /** {@code vnetd-gave-back-PROGRAM-NETWORK-PID.service}, the network's name escaped as {@code systemd-escape} does. */
        static String unitName(String network, String program, long stoppedPid) {
            return "vnetd-gave-back-" + program + "-" + escape(network) + "-" + stoppedPid + ".service";
        }

        /**
         * {@code systemd-escape}'s rules for a string in a unit name: ASCII letters, digits, {@code :}, {@code _}
         * and {@code .} (not leading) stay, {@code /} becomes {@code -}, every other byte {@code \xNN}.
         */
        static String escape(String s) {
            StringBuilder sb = new StringBuilder();
            byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == ':' || b == '_'
                        || (b == '.' && i > 0);
                if (plain) {
                    sb.append((char) b);
                } else if (b == '/') {
                    sb.append('-');
                } else {
                    sb.append(String.format("\\x%02x", b));
                }
            }
            return sb.toString();
        }
    }
}
