package org.vnetd.daemon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * {@code vnetd.conf}: {@code key = value} lines, {@code #} comments, blank lines. Unknown keys and
 * bad values are errors naming the file and line, so a typo never silently falls back to a default.
 * {@code sysfs_root} is where SR-IOV physical functions' virtual functions are read
 * ({@code SYSFS_ROOT/class/net/PF/device/virtfnN}): {@code /sys}, or a tree a test builds.
 */
public record ConfFile(String firewallBackend, String logLevel, boolean libvirtProtocol, Path sysfsRoot) {
    public static final Set<String> FIREWALL_BACKENDS = Set.of("nftables", "iptables");
    public static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    public static final ConfFile DEFAULTS = new ConfFile("nftables", "INFO", true, Path.of("/sys"));

    public ConfFile(String firewallBackend, String logLevel, boolean libvirtProtocol) {
        this(firewallBackend, logLevel, libvirtProtocol, DEFAULTS.sysfsRoot);
    }

    /** Reads {@code file}; a missing file means defaults. */
    public static ConfFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return DEFAULTS;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), lines);
    }

    public static ConfFile parse(String where, List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw bad(where, i, "expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = unquote(line.substring(eq + 1).strip());
            switch (key) {
                case "firewall_backend" -> {
                    if (!FIREWALL_BACKENDS.contains(value)) {
                        throw bad(where, i, "firewall_backend must be one of " + FIREWALL_BACKENDS + ", not '" + value + "'");
                    }
                }
                case "log_level" -> {
                    value = value.toUpperCase(Locale.ROOT);
                    if (!LOG_LEVELS.contains(value)) {
                        throw bad(where, i, "log_level must be one of " + LOG_LEVELS + ", not '" + value + "'");
                    }
                }
                case "libvirt_protocol" -> {
                    if (!value.equals("yes") && !value.equals("no")) {
                        throw bad(where, i, "libvirt_protocol must be yes or no, not '" + value + "'");
                    }
                }
                case "sysfs_root" -> {
                    if (!value.startsWith("/")) {
                        throw bad(where, i, "sysfs_root must be an absolute path, not '" + value + "'");
                    }
                }
                default -> throw bad(where, i, "unknown setting '" + key + "' (known: firewall_backend, log_level, libvirt_protocol, sysfs_root)");
            }
            values.put(key, value);
        }
        return new ConfFile(values.getOrDefault("firewall_backend", DEFAULTS.firewallBackend),
                values.getOrDefault("log_level", DEFAULTS.logLevel),
                values.containsKey("libvirt_protocol") ? values.get("libvirt_protocol").equals("yes") : DEFAULTS.libvirtProtocol,
                values.containsKey("sysfs_root") ? Path.of(values.get("sysfs_root")) : DEFAULTS.sysfsRoot);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static VnetException bad(String where, int index, String what) {
        return new VnetException(ErrorCode.INVALID_ARGUMENT, where + ":" + (index + 1) + ": " + what);
    }
}
