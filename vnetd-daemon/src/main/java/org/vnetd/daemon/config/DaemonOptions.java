package org.vnetd.daemon.config;

import java.nio.file.Path;
import java.util.Optional;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Command-line options. Definitions live in {@code CONFIG_DIR/networks}, {@code vnetd.conf} in
 * {@code CONFIG_DIR}, leases in {@code STATE_DIR}, sockets and status files in {@code RUN_DIR}.
 */
public record DaemonOptions(Path configDir, Path stateDir, Path runDir, Optional<Path> configFile,
        Optional<String> firewallBackend, Optional<String> logLevel, boolean defaultNetwork, boolean help,
        Optional<String> callMethod, Optional<String> callParams, Optional<String> ovsDb, Optional<String> ovnChassis) {

    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/vnetd");
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/vnetd");
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/vnetd");

    public Path networksDir() {
        return configDir.resolve("networks");
    }

    public Path confFile() {
        return configFile.orElse(configDir.resolve("vnetd.conf"));
    }

    public static DaemonOptions parse(String... args) {
        Path config = DEFAULT_CONFIG_DIR;
        Path state = DEFAULT_STATE_DIR;
        Path run = DEFAULT_RUN_DIR;
        Optional<Path> confFile = Optional.empty();
        Optional<String> fw = Optional.empty();
        Optional<String> level = Optional.empty();
        Optional<String> call = Optional.empty();
        Optional<String> callParams = Optional.empty();
        Optional<String> ovsDb = Optional.empty();
        Optional<String> ovnChassis = Optional.empty();
        boolean dflt = true;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> help = true;
                case "--config-dir" -> config = Path.of(value(args, i++));
                case "--state-dir" -> state = Path.of(value(args, i++));
                case "--run-dir" -> run = Path.of(value(args, i++));
                case "--config-file" -> confFile = Optional.of(Path.of(value(args, i++)));
                case "--firewall-backend" -> {
                    String v = value(args, i++);
                    if (!ConfFile.FIREWALL_BACKENDS.contains(v)) {
                        throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid value given for --firewall-backend: '" + v
                                + "' (one of " + ConfFile.FIREWALL_BACKENDS + ")");
                    }
                    fw = Optional.of(v);
                }
                case "--log-level" -> {
                    String v = value(args, i++).toUpperCase(java.util.Locale.ROOT);
                    if (!ConfFile.LOG_LEVELS.contains(v)) {
                        throw new VnetException(ErrorCode.INVALID_ARGUMENT, "invalid value given for --log-level: '" + v + "'");
                    }
                    level = Optional.of(v);
                }
                case "--no-default-network" -> dflt = false;
                // the local Open_vSwitch database (tcp:HOST:PORT or unix:PATH) and this host's OVN chassis name (docs/ovn.md)
                case "--ovs-db" -> ovsDb = Optional.of(value(args, i++));
                case "--ovn-chassis" -> ovnChassis = Optional.of(value(args, i++));
                case "--call" -> {
                    call = Optional.of(value(args, i++));
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        callParams = Optional.of(args[++i]);
                    }
                }
                default -> throw new VnetException(ErrorCode.INVALID_ARGUMENT, "unknown option: " + a + " (see --help)");
            }
        }
        return new DaemonOptions(config, state, run, confFile, fw, level, dflt, help, call, callParams, ovsDb, ovnChassis);
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "missing value for " + args[i]);
        }
        return args[i + 1];
    }
}
