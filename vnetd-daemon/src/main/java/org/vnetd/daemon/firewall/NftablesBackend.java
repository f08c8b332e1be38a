package org.vnetd.daemon.firewall;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.FirewallPlan;
import org.vnetd.core.firewall.NftablesRenderer;

/**
 * The default backend: every change is one {@code nft -f -} run, i.e. one netlink batch that the
 * kernel commits entirely or not at all, so a rejected rule leaves the previous ruleset intact. It
 * touches only vnetd's own table (see {@link NftablesRenderer} for the layout).
 */
public final class NftablesBackend implements FirewallBackend {
    /** Suffix of the table with no hooks (no packet meets it) where {@link #inPlace} loads a plan to see how nft lists it. */
    static final String PROBE_SUFFIX = "_probe";
    private static final Pattern ERROR_LOCATION = Pattern.compile("^/dev/stdin:(\\d+):", Pattern.MULTILINE);

    private final CommandRunner runner;
    private final NftablesRenderer renderer;
    /** One change at a time, so that log lines and errors belong to one transaction. */
    private final ReentrantLock lock = new ReentrantLock();

    public NftablesBackend(CommandRunner runner) {
        this(runner, new NftablesRenderer());
    }

    public NftablesBackend(CommandRunner runner, NftablesRenderer renderer) {
        this.runner = runner;
        this.renderer = renderer;
    }

    @Override
    public String name() {
        return "nftables";
    }

    public NftablesRenderer renderer() {
        return renderer;
    }

    @Override
    public void update(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        run(renderer.transaction(remove, add), describe(remove, add));
    }

    @Override
    public void clear() {
        run(renderer.deleteTableScript(), "deleting table " + renderer.tableSpec());
    }

    /**
     * Lists vnetd's table once and compares the network's chains with the same plan loaded into a
     * hookless probe table (see {@link NftablesRenderer#probeScript}), then checks its map elements and
     * the hook chains' dispatch rules. Nothing of vnetd's table is changed.
     */
    @Override
    public boolean inPlace(FirewallPlan plan) {
        String probeTable = renderer.table() + PROBE_SUFFIX;
        lock.lock();
        try {
            CommandResult probe = runner.run(List.of("nft", "-f", "-"), renderer.probeScript(plan, probeTable));
            try {
                if (!probe.ok()) {
                    return false;
                }
                CommandResult expected = runner.run("nft", "list", "table", "inet", probeTable);
                CommandResult actual = runner.run("nft", "list", "table", "inet", renderer.table());
                if (!expected.ok() || !actual.ok()) {
                    return false;
                }
                return sameRules(NftListing.parse(expected.stdout()), NftListing.parse(actual.stdout()), plan);
            } finally {
                runner.run(List.of("nft", "-f", "-"), "add table inet " + probeTable + "\ndelete table inet " + probeTable + "\n");
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean sameRules(NftListing expected, NftListing actual, FirewallPlan plan) {
        for (String chain : renderer.chains(plan)) {
            if (!expected.chains().get(chain).equals(actual.chains().get(chain))) {
                return false;
            }
        }
        for (Map.Entry<String, List<String>> hook : renderer.hookRules().entrySet()) {
            if (!hook.getValue().equals(actual.chains().get(hook.getKey()))) {
                return false;
            }
        }
        // elements are listed "KEY : jump CHAIN", separated by commas and line breaks
        String flat = actual.text().replaceAll("\\s+", " ");
        return renderer.listedElements(plan).stream().allMatch(e -> flat.contains(e + ",") || flat.contains(e + " }"));
    }

    @Override
    public boolean installed() {
        lock.lock();
        try {
            return runner.run("nft", "list", "table", "inet", renderer.table()).ok();
        } finally {
            lock.unlock();
        }
    }

    /** {@code nft list table inet vnetd}, or empty when the table does not exist. */
    public String listTable() {
        CommandResult r = runner.run("nft", "list", "table", "inet", renderer.table());
        return r.ok() ? r.stdout() : "";
    }

    private void run(String script, String what) {
        lock.lock();
        try {
            runLocked(script, what);
        } finally {
            lock.unlock();
        }
    }

    private void runLocked(String script, String what) {
        CommandResult r = runner.run(List.of("nft", "-f", "-"), script);
        if (r.exitCode() == CommandRunner.NOT_FOUND) {
            throw VnetException.of(ErrorCode.FIREWALL, "%s: nft is not installed (%s)", what, r.stderr().strip());
        }
        if (!r.ok()) {
            throw new VnetException(ErrorCode.FIREWALL, what + ": " + explain(script, r.stderr()));
        }
    }

    /** Names the rejected command: nft reports "/dev/stdin:LINE:COL: Error: …". */
    static String explain(String script, String stderr) {
        String[] lines = script.split("\n");
        Matcher m = ERROR_LOCATION.matcher(stderr);
        String firstError = stderr.lines().filter(l -> l.contains("Error:")).findFirst()
                .map(l -> l.substring(l.indexOf("Error:"))).orElse(stderr.strip());
        if (m.find()) {
            int line = Integer.parseInt(m.group(1));
            if (line >= 1 && line <= lines.length) {
                return "nft rejected '" + lines[line - 1] + "' (line " + line + " of the transaction; nothing was changed): "
                        + firstError;
            }
        }
        return "nft failed (nothing was changed): " + stderr.strip();
    }

    private static String describe(Collection<FirewallPlan> remove, Collection<FirewallPlan> add) {
        StringBuilder sb = new StringBuilder("firewall");
        if (!remove.isEmpty()) {
            sb.append(" removing network(s) ").append(names(remove));
        }
        if (!add.isEmpty()) {
            sb.append(remove.isEmpty() ? "" : " and").append(" applying network(s) ").append(names(add));
        }
        return sb.toString();
    }

    static String names(Collection<FirewallPlan> plans) {
        return String.join(", ", plans.stream().map(p -> "'" + p.network() + "'").toList());
    }
}
