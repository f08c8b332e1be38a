package org.vnetd.daemon.ovs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.ovs.OvsPort;
import org.vnetd.daemon.firewall.CommandResult;
import org.vnetd.daemon.firewall.CommandRunner;

/**
 * Ports on Open vSwitch bridges, through {@code ovs-vsctl} as libvirt does it: the same commands give the
 * same external-ids and the same behaviour (ovs-vsctl waits until ovs-vswitchd has applied the change, and
 * gives up after its {@code --timeout}). {@code ovs-vsctl} finds the database as configured on the host
 * ({@code OVS_RUNDIR}, default {@code /run/openvswitch/db.sock}) unless the daemon names one ({@code --ovs-db}).
 * Ports of OVN networks are added the same way (not through the OVSDB client vnetd keeps for OVN): ovs-vsctl waits
 * until ovs-vswitchd has the interface, and their removal, undo and adoption after a restart are those of any
 * Open vSwitch port.
 */
public final class OpenVswitch {
    private static final Logger LOG = LoggerFactory.getLogger(OpenVswitch.class);

    private final CommandRunner commands;
    private final Optional<String> db;

    public OpenVswitch(CommandRunner commands) {
        this(commands, Optional.empty());
    }

    /** @param db the database {@code ovs-vsctl} talks to ({@code --db}, vnetd's {@code --ovs-db}); empty: the host's default */
    public OpenVswitch(CommandRunner commands, Optional<String> db) {
        this.commands = commands;
        this.db = db;
    }

    /** Adds the port (or updates it: {@code --may-exist}); libvirt's "Unable to add port … to OVS bridge …" when refused. */
    public void addPort(OvsPort port) {
        CommandResult r = run(port.addCommand());
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.CONFLICT, "Unable to add port %s to OVS bridge %s: %s", port.ifname(), port.bridge(),
                    r.stderr().strip());
        }
        LOG.debug("{} added to OVS bridge {}", port.ifname(), port.bridge());
    }

    /** Removes the port wherever it is ({@code --if-exists}: one already gone is no error). */
    public void removePort(String ifname) {
        CommandResult r = run(OvsPort.removeCommand(ifname));
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.CONFLICT, "Unable to delete port %s from OVS: %s", ifname, r.stderr().strip());
        }
    }

    private CommandResult run(List<String> command) {
        List<String> argv = new ArrayList<>(command);
        db.ifPresent(d -> argv.add(1, "--db=" + d));
        CommandResult r = commands.run(argv, null);
        if (r.exitCode() == CommandRunner.NOT_FOUND) {
            throw VnetException.of(ErrorCode.OPERATION_UNSUPPORTED,
                    "cannot run %s for an Open vSwitch port: %s (Debian's openvswitch-switch provides it)", argv.get(0),
                    r.stderr().strip());
        }
        return r;
    }
}
