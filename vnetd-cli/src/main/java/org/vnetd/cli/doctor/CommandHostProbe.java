package org.vnetd.cli.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewalldZoneListing;

/**
 * Reads the host with plain file reads and {@code ip -j}; with a command prefix (e.g. {@code ip netns exec NS})
 * everything runs through it, so a test can point doctor at a namespace it built.
 */
public final class CommandHostProbe implements HostProbe {
    private final List<String> prefix;

    public CommandHostProbe(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    public static CommandHostProbe local() {
        return new CommandHostProbe(List.of());
    }

    @Override
    public Optional<String> sysctl(String path) {
        if (path.contains("..")) {
            throw new IllegalArgumentException("sysctl path escapes /proc/sys: " + path);
        }
        Path file = Path.of("/proc/sys").resolve(path);
        if (prefix.isEmpty()) {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        List<String> argv = new ArrayList<>(prefix);
        argv.add("cat");
        argv.add(file.toString());
        Result r = exec(argv);
        return r.status == 0 ? Optional.of(r.out.trim()) : Optional.empty();
    }

    @Override
    public String ipJson(String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add("ip");
        argv.add("-j");
        argv.addAll(List.of(args));
        Result r = exec(argv);
        if (r.status != 0) {
            throw new VnetException(ErrorCode.KERNEL, "'" + String.join(" ", argv) + "' failed: " + r.err.trim());
        }
        return r.out.isBlank() ? "[]" : r.out;
    }

    @Override
    public Optional<Listener> unixListener(String path) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("ss", "-H", "-xlp", "src", path));
        Result r = exec(argv);
        if (r.status != 0) {
            throw new VnetException(ErrorCode.KERNEL, "'" + String.join(" ", argv) + "' failed: " + r.err.trim());
        }
        return parseListener(r.out);
    }

    @Override
    public List<Listener> unixListeners(String path) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("ss", "-H", "-xlp", "src", path));
        Result r = exec(argv);
        if (r.status != 0) {
            throw new VnetException(ErrorCode.KERNEL, "'" + String.join(" ", argv) + "' failed: " + r.err.trim());
        }
        return parseListeners(r.out);
    }

    /** {@code users:(("virtnetworkd",pid=812,fd=3))} in {@code ss -H -xlp}'s line. */
    static Optional<Listener> parseListener(String ssOutput) {
        return parseListeners(ssOutput).stream().findFirst();
    }

    /** Every {@code ("program",pid=N} of {@code ss -H -xlp}'s lines. */
    static List<Listener> parseListeners(String ssOutput) {
        Matcher m = java.util.regex.Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)").matcher(ssOutput);
        List<Listener> out = new ArrayList<>();
        while (m.find()) {
            Listener l = new Listener(m.group(1), Integer.parseInt(m.group(2)));
            if (!out.contains(l)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * libvirt's status files (read only for the host itself: a test's namespace has none of its own) and the
     * dnsmasq processes libvirt started ({@code --conf-file=/var/lib/libvirt/dnsmasq/NAME.conf}) in the probed
     * network namespace, with the bridge their conf file serves ({@code interface=}).
     */
    @Override
    public List<LibvirtBridge> libvirtBridges() {
        return LibvirtFiles.bridges(prefix.isEmpty() ? Optional.of(Path.of("/run/libvirt/network")) : Optional.empty(), netns());
    }

    /** From {@code nft list table inet firewalld} ({@code ip firewalld} for firewalld before 0.7) in the probed namespace. */
    @Override
    public Map<String, String> firewalldZones() {
        for (String family : List.of("inet", "ip")) {
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(List.of("nft", "list", "table", family, FirewalldZoneListing.TABLE));
            Result r = exec(argv);
            if (r.status == 0) {
                return FirewalldZoneListing.parse(r.out);
            }
        }
        return Map.of();
    }

    /** The probed network namespace, as {@code /proc/PID/ns/net} links name it. */
    private String netns() {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("readlink", "/proc/self/ns/net"));
        Result r = exec(argv);
        return r.status == 0 ? r.out.trim() : "";
    }

    @Override
    public boolean processRunning(String name) {
        return exec(List.of("pgrep", "-x", name)).status == 0;
    }

    @Override
    public Optional<Map<String, String>> openVswitchExternalIds() {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("ovs-vsctl", "--timeout=3", "--format=csv", "--data=bare", "--no-headings", "--columns=external_ids",
                "list", "Open_vSwitch"));
        Result r = exec(argv);
        if (r.status != 0) {
            return Optional.empty();
        }
        Map<String, String> ids = new java.util.TreeMap<>();
        // --data=bare prints a map as key=value pairs separated by blanks (values without blanks here)
        for (String pair : r.out.trim().replace("\"", "").split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                ids.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return Optional.of(ids);
    }

    @Override
    public Optional<String> ovsdbUnreachable(String remotes) {
        String last = "";
        for (String remote : remotes.split(",")) {
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(List.of("ovsdb-client", "--timeout=3", "list-dbs", remote));
            Result r = exec(argv);
            if (r.status == 0) {
                return Optional.empty();
            }
            last = remote + ": " + (r.err.isBlank() ? "exit " + r.status : r.err.trim().lines().findFirst().orElse(""));
        }
        return Optional.of(last);
    }

    @Override
    public Optional<String> ovnDefinitionInOvn(String remotes, String networkUuid) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("ovn-nbctl", "--db=" + remotes, "--timeout=3", "--data=bare", "--no-headings", "--columns=other_config",
                "find", "Logical_Switch", "external_ids:vnetd\\:network=" + networkUuid));
        Result r = exec(argv);
        if (r.status != 0) {
            return Optional.empty();
        }
        Matcher m = DEFINITION.matcher(r.out);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static final Pattern DEFINITION = Pattern.compile("vnetd:definition=\"?([0-9a-f]+)");

    private record Result(int status, String out, String err) {
    }

    private static Result exec(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "", "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }
}
