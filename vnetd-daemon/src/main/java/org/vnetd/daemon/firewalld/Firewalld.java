package org.vnetd.daemon.firewalld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * firewalld's D-Bus API, the calls libvirt makes (virfirewalld.c): is it on the system bus, its zones and
 * policies, and an interface's zone set, read and removed (runtime only, as libvirt's). Each call is one
 * {@code busctl} (systemd's D-Bus client, on every host that runs firewalld: no library for a handful of
 * methods; {@code firewall-cmd} would start a Python interpreter per call). The bus is the system bus
 * as {@code busctl --system} finds it: {@code DBUS_SYSTEM_BUS_ADDRESS}, else {@code /run/dbus/system_bus_socket};
 * a host without that socket has no firewalld, and is told so without a process.
 */
public final class Firewalld {
    private static final Logger LOG = LoggerFactory.getLogger(Firewalld.class);
    static final String SERVICE = "org.fedoraproject.FirewallD1";
    private static final String PATH = "/org/fedoraproject/FirewallD1";
    private static final String ZONE = SERVICE + ".zone";
    private static final String POLICY = SERVICE + ".policy";
    private static final Path DEFAULT_SOCKET = Path.of("/run/dbus/system_bus_socket");
    /** busctl's own bound on one call (firewalld answers in milliseconds; a hung bus must not hang a start). */
    private static final String CALL_TIMEOUT = "10s";

    private final CommandRunner commands;
    /** The bus socket, when the address names a path; checked before anything runs. */
    private final Optional<Path> busSocket;
    /** False for {@link #none()}. */
    private final boolean reachable;
    private final ObjectMapper json = new ObjectMapper();

    Firewalld(CommandRunner commands, Optional<Path> busSocket, boolean reachable) {
        this.commands = commands;
        this.busSocket = busSocket;
        this.reachable = reachable;
    }

    /** A host without firewalld, whatever its bus says (a daemon in tests that stays out of the host's firewall). */
    public static Firewalld none() {
        return new Firewalld((argv, stdin) -> {
            throw new IllegalStateException("no firewalld to run " + argv);
        }, Optional.empty(), false);
    }

    /** firewalld on the system bus of this process's environment. */
    public static Firewalld onSystemBus(CommandRunner commands, Map<String, String> environment) {
        return new Firewalld(commands, socketOf(environment.get("DBUS_SYSTEM_BUS_ADDRESS")), true);
    }

    /** The socket path of a D-Bus address's first {@code unix:path=} entry; empty for other transports. */
    static Optional<Path> socketOf(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of(DEFAULT_SOCKET);
        }
        String first = address.split(";", 2)[0];
        if (!first.startsWith("unix:")) {
            return Optional.empty();
        }
        for (String kv : first.substring("unix:".length()).split(",")) {
            if (kv.startsWith("path=")) {
                return Optional.of(Path.of(kv.substring("path=".length())));
            }
        }
        return Optional.empty();
    }

    /** Whether firewalld owns its name on the system bus (libvirt's virFirewallDIsRegistered); no bus: false. */
    public boolean running() {
        if (!reachable || busSocket.isPresent() && !Files.exists(busSocket.get())) {
            return false;
        }
        CommandResult r = busctl("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner", "s", SERVICE);
        if (!r.ok()) {
            LOG.debug("no system bus to ask for firewalld: {}", r.stderr().strip());
            return false;
        }
        return data(r).path(0).asBoolean(false);
    }

    /** The zones of the running firewalld (getZones). */
    public Set<String> zones() {
        return strings(call(ZONE, "getZones"));
    }

    /** Its policies (getPolicies); none from a firewalld older than 0.9, which has no policies. */
    public Set<String> policies() {
        CommandResult r = busctl(SERVICE, PATH, POLICY, "getPolicies");
        return r.ok() ? strings(r) : Set.of();
    }

    /** The zone {@code iface} is in, at runtime; empty when in none. */
    public Optional<String> zoneOfInterface(String iface) {
        String zone = data(call(ZONE, "getZoneOfInterface", "s", iface)).path(0).asText("");
        return zone.isEmpty() ? Optional.empty() : Optional.of(zone);
    }

    /** Puts {@code iface} in {@code zone}, out of any other (changeZoneOfInterface, as libvirt's virFirewallDInterfaceSetZone). */
    public void changeZoneOfInterface(String zone, String iface) {
        call(ZONE, "changeZoneOfInterface", "ss", zone, iface);
    }

    /** Takes {@code iface} out of whatever zone it is in; one in none is no error (libvirt's virFirewallDInterfaceUnsetZone). */
    public void removeInterface(String iface) {
        CommandResult r = busctl(SERVICE, PATH, ZONE, "removeInterface", "ss", "", iface);
        if (!r.ok() && !r.stderr().contains("UNKNOWN_INTERFACE")) {
            throw failed("removeInterface", r);
        }
    }

    private CommandResult call(String iface, String method, String... signatureAndArgs) {
        CommandResult r = busctl(SERVICE, PATH, iface, method, signatureAndArgs);
        if (!r.ok()) {
            throw failed(method, r);
        }
        return r;
    }

    private CommandResult busctl(String service, String path, String iface, String method, String... signatureAndArgs) {
        List<String> argv = new ArrayList<>(List.of("busctl", "--system", "--json=short", "--timeout=" + CALL_TIMEOUT,
                "call", service, path, iface, method));
        argv.addAll(List.of(signatureAndArgs));
        CommandResult r = commands.run(argv, null);
        if (r.exitCode() == CommandRunner.NOT_FOUND) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "cannot run busctl to reach firewalld on the system bus: %s (Debian's systemd package provides it)", r.stderr().strip());
        }
        return r;
    }

    private static VnetException failed(String method, CommandResult r) {
        // busctl prints firewalld's error as "Call failed: INVALID_ZONE: nosuch"
        String why = r.stderr().strip().replaceFirst("^Call failed: ", "");
        return VnetException.of(ErrorCode.FIREWALL, "firewalld refused %s: %s", method, why);
    }

    /** The reply's values: busctl's JSON is {@code {"type":"as","data":[[…]]}}. */
    private JsonNode data(CommandResult r) {
        try {
            return json.readTree(r.stdout()).path("data");
        } catch (java.io.IOException e) {
            throw new VnetException(ErrorCode.FIREWALL, "unreadable reply from firewalld: " + r.stdout().strip(), e);
        }
    }

    private Set<String> strings(CommandResult r) {
        Set<String> out = new LinkedHashSet<>();
        data(r).path(0).forEach(n -> out.add(n.asText()));
        return out;
    }
}
