package org.vnetd.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Shared pieces of the network commands: the {@code <network>} option and virsh's lookup failure. */
final class Networks {
    static final OptionDef NETWORK = OptionDef.data("network", "network name or uuid");
    static final String GROUP = "network";

    private Networks() {
    }

    /** network.lookup, reporting {@code failed to get network 'x'} and the daemon's reason on failure. */
    static Optional<NetworkSummary> lookup(Session s, String network) {
        try {
            return Optional.of(s.api().lookup(network));
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            lookupFailed(s, network, e);
            return Optional.empty();
        }
    }

    static void lookupFailed(Session s, String network, VnetException e) {
        s.error("failed to get network '" + network + "'");
        s.report(e);
    }

    /**
     * Reports an operation's failure the way virsh would: a missing network is a lookup failure
     * ({@code failed to get network}), anything else gets the operation's own first line.
     */
    static boolean failed(Session s, String network, VnetException e, String operationMessage) {
        if (e instanceof org.vnetd.client.DaemonUnreachableException d) {
            throw d;
        }
        if (e.code() == ErrorCode.NO_SUCH_NETWORK) {
            lookupFailed(s, network, e);
        } else {
            s.error(operationMessage);
            s.report(e);
        }
        return false;
    }

    /**
     * The body net-start, net-destroy and net-undefine share: one daemon call on {@code <network>}, then
     * virsh's {@code Failed to VERB network NAME} or {@code Network NAME DONE}.
     */
    static boolean byName(Session s, org.vnetd.cli.shell.ParsedCommand cmd, BiConsumer<VnetdApi, String> op,
            String verb, String done) throws org.vnetd.cli.shell.UsageException {
        String name = cmd.required("network");
        try {
            op.accept(s.api(), name);
        } catch (VnetException e) {
            return failed(s, name, e, "Failed to " + verb + " network " + name);
        }
        s.printExtra("Network " + name + " " + done + "\n");
        return true;
    }

    /**
     * {@code before}, then virsh's --live, --config and --current of the commands that read or change the running or
     * the persistent definition (net-desc, net-metadata), then {@code after}.
     */
    static List<OptionDef> withScope(List<OptionDef> before, List<OptionDef> after) {
        List<OptionDef> all = new ArrayList<>(before);
        all.add(OptionDef.bool("live", "modify/get running state"));
        all.add(OptionDef.bool("config", "modify/get persistent configuration"));
        all.add(OptionDef.bool("current", "modify/get current state configuration"));
        all.addAll(after);
        return List.copyOf(all);
    }

    /** virsh's --current versus --live/--config check (VSH_EXCLUSIVE_OPTIONS_VAR in net-desc, net-metadata, net-update). */
    static void exclusiveScope(org.vnetd.cli.shell.ParsedCommand cmd) throws org.vnetd.cli.shell.UsageException {
        exclusive(cmd, "current", "live");
        exclusive(cmd, "current", "config");
    }

    /** virsh's VSH_EXCLUSIVE_OPTIONS message. */
    static void exclusive(org.vnetd.cli.shell.ParsedCommand cmd, String a, String b)
            throws org.vnetd.cli.shell.UsageException {
        if (cmd.has(a) && cmd.has(b)) {
            throw new org.vnetd.cli.shell.UsageException("Options --" + a + " and --" + b + " are mutually exclusive");
        }
    }
}
