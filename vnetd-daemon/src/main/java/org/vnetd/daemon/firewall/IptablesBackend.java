package org.vnetd.daemon.firewall;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.Family;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.IptablesRenderer;
import org.vnetd.core.firewall.IptablesRule;

/**
 * Backend for hosts without nft. Per family, one change is one {@code iptables-save} (to see which
 * of our chains and jumps exist) and one {@code iptables-restore --noflush} carrying every command.
 * Built-in chains only ever get one jump to each {@code VNETD_*} chain; a network's chains are
 * declared in the restore input, which creates them or empties existing ones, so re-applying gives
 * one copy of each rule; removal deletes exactly the network's jumps and chains.
 */
public final class IptablesBackend implements FirewallBackend {
    private static final List<String> TABLES = List.of("filter", "nat", "mangle");
    private static final Pattern FAILED_LINE = Pattern.compile("line (\\d+) failed");

    private final CommandRunner runner;
    private final IptablesRenderer renderer;
    /** save-then-restore is read-modify-write: changes must not interleave. */
    private final ReentrantLock lock = new ReentrantLock();

    public IptablesBackend(CommandRunner runner) {
        this.runner = runner;
        this.renderer = new IptablesRenderer();
    }

    @Override
    public String name() {
        return "iptables";
    }

    @Override
    public void update(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        lock.lock();
        try {
            updateLocked(remove, add);
        } finally {
            lock.unlock();
        }
    }

    private void updateLocked(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        for (Family f : Family.values()) {
            boolean used = f == Family.IPV4 || remove.stream().anyMatch(p -> p.families().contains(f))
                    || add.stream().anyMatch(p -> p.families().contains(f));
            if (used) {
                IptablesState state = IptablesState.parse(save(f));
                restore(f, script(f, state, remove, add), NftablesBackend.names(add.isEmpty() ? remove : add));
            }
        }
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            clearLocked();
        } finally {
            lock.unlock();
        }
    }

    private void clearLocked() {
        for (Family f : Family.values()) {
            IptablesState state = IptablesState.parse(save(f));
            StringBuilder sb = new StringBuilder();
            for (String table : TABLES) {
                sb.append('*').append(table).append('\n');
                for (String rule : state.rules(table)) {
                    String[] w = rule.split(" ");
                    if (w.length == 4 && w[2].equals("-j") && (w[3].startsWith("VNETD_") || w[3].startsWith("VN_"))) {
                        sb.append("-D").append(rule.substring(2)).append('\n');
                    }
                }
                for (String chain : state.chains(table)) {
                    if (chain.startsWith("VNETD_") || chain.startsWith("VN_")) {
                        sb.append("-F ").append(chain).append('\n');
                    }
                }
                for (String chain : state.chains(table)) {
                    if (chain.startsWith("VNETD_") || chain.startsWith("VN_")) {
                        sb.append("-X ").append(chain).append('\n');
                    }
                }
                sb.append("COMMIT\n");
            }
            restore(f, sb.toString(), "all networks");
        }
    }

    /** The restore input for one family; package-private for tests. */
    String script(Family f, IptablesState state, Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        TABLES.forEach(t -> byTable.put(t, new ArrayList<>()));
        Map<String, Set<String>> declare = new LinkedHashMap<>();
        TABLES.forEach(t -> declare.put(t, new LinkedHashSet<>()));

        for (IptablesRenderer.GlobalChain g : IptablesRenderer.GLOBAL_CHAINS) {
            if (!state.hasChain(g.table(), g.chain())) {
                declare.get(g.table()).add(g.chain());
            }
            String link = "-A " + g.builtin() + " -j " + g.chain();
            if (!state.hasRule(g.table(), link)) {
                byTable.get(g.table()).add("-I " + g.builtin() + " 1 -j " + g.chain());
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        for (FirewallPlan p : add) {
            for (IptablesRule r : renderer.rules(p)) {
                if (r.family() == f) {
                    kept.add(r.table() + " " + r.chain());
                }
            }
        }
        Set<String> dispatchKept = new LinkedHashSet<>();
        for (FirewallPlan p : add) {
            for (IptablesRule d : renderer.dispatch(p)) {
                if (d.family() == f) {
                    dispatchKept.add(d.table() + " " + d.restoreLine());
                }
            }
        }
        for (FirewallPlan p : remove) {
            for (IptablesRule d : renderer.dispatch(p)) {
                if (d.family() == f && state.hasRule(d.table(), d.restoreLine())
                        && !dispatchKept.contains(d.table() + " " + d.restoreLine())) {
                    byTable.get(d.table()).add("-D" + d.restoreLine().substring(2));
                }
            }
            for (String table : TABLES) {
                for (String chain : ownChains(p)) {
                    if (state.hasChain(table, chain) && !kept.contains(table + " " + chain)) {
                        byTable.get(table).add("-F " + chain);
                        byTable.get(table).add("-X " + chain);
                    }
                }
            }
        }
        for (FirewallPlan p : add) {
            for (IptablesRule r : renderer.rules(p)) {
                if (r.family() == f) {
                    declare.get(r.table()).add(r.chain()); // creates it, or empties it if it exists
                    byTable.get(r.table()).add(r.restoreLine());
                }
            }
            for (IptablesRule d : renderer.dispatch(p)) {
                if (d.family() == f && !state.hasRule(d.table(), d.restoreLine())) {
                    byTable.get(d.table()).add(d.restoreLine());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String table : TABLES) {
            sb.append('*').append(table).append('\n');
            for (String chain : declare.get(table)) {
                sb.append(':').append(chain).append(" - [0:0]\n");
            }
            byTable.get(table).forEach(l -> sb.append(l).append('\n'));
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }

    private static List<String> ownChains(FirewallPlan p) {
        List<String> out = new ArrayList<>();
        for (org.vnetd.core.firewall.Phase ph : org.vnetd.core.firewall.Phase.values()) {
            String c = IptablesRenderer.chainName(p.bridge(), ph);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private String save(Family f) {
        String cmd = f == Family.IPV4 ? "iptables-save" : "ip6tables-save";
        CommandResult r = runner.run(cmd);
        if (!r.ok()) {
            throw VnetException.of(ErrorCode.FIREWALL, "%s failed (exit %d): %s", cmd, r.exitCode(), r.stderr().strip());
        }
        return r.stdout();
    }

    private void restore(Family f, String script, String networks) {
        String cmd = f == Family.IPV4 ? "iptables-restore" : "ip6tables-restore";
        CommandResult r = runner.run(List.of(cmd, "-w", "--noflush"), script);
        if (!r.ok()) {
            String detail = r.stderr().strip();
            Matcher m = FAILED_LINE.matcher(detail);
            String[] lines = script.split("\n");
            if (m.find()) {
                int line = Integer.parseInt(m.group(1));
                if (line >= 1 && line <= lines.length) {
                    detail = "rejected '" + lines[line - 1] + "' (line " + line + "): " + detail;
                }
            }
            throw VnetException.of(ErrorCode.FIREWALL, "firewall for network(s) %s: %s %s", networks, cmd, detail);
        }
    }
}
