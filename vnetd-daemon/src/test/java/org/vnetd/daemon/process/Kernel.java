package org.vnetd.daemon.process;

import org.vnetd.testing.TestNetns;

/** Snapshots of a namespace's kernel state, as text that compares equal when nothing changed. */
final class Kernel {
    private Kernel() {
    }

    static String snapshot(TestNetns ns) {
        return "links:\n" + ns.execOk("ip", "-br", "link") + "addresses:\n" + ns.execOk("ip", "-br", "addr")
                + "routes:\n" + ns.execOk("ip", "route")
                // -s: without counter values, which adoption's atomic re-apply of the rules resets
                + "nft:\n" + ns.exec("nft", "-s", "list", "ruleset").stdout();
    }

    /**
     * As {@link #snapshot}, for after the last network stopped: vnetd's table then stays, idle (its hook
     * chains and empty dispatch maps, no network chain), for the next start; such a table is left out.
     */
    static String snapshotAfterStop(TestNetns ns) {
        String s = snapshot(ns);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)table inet vnetd \\{\n.*?\n}\n").matcher(s);
        if (m.find() && !m.group().contains("chain vn_") && !m.group().contains("elements =")) {
            return s.substring(0, m.start()) + s.substring(m.end());
        }
        return s;
    }

    static boolean hasLink(TestNetns ns, String name) {
        return ns.exec("ip", "link", "show", name).ok();
    }

    static String addr(TestNetns ns, String name) {
        return ns.exec("ip", "-br", "addr", "show", name).stdout();
    }

    static int ifindex(TestNetns ns, String name) {
        String out = ns.execOk("ip", "-o", "link", "show", name);
        return Integer.parseInt(out.substring(0, out.indexOf(':')).trim());
    }

    /** vnetd's table with rule handles (which a re-apply changes), counters left out (traffic changes them). */
    static String rulesWithHandles(TestNetns ns) {
        return COUNTERS.matcher(ns.exec("nft", "-a", "list", "table", "inet", "vnetd").stdout()).replaceAll("counter");
    }

    static String rulesWithHandles(TestNetns ns, String chain) {
        return COUNTERS.matcher(ns.exec("nft", "-a", "list", "chain", "inet", "vnetd", chain).stdout()).replaceAll("counter");
    }

    /** The handle of the first rule in one of vnetd's chains. */
    static String firstRuleHandle(TestNetns ns, String chain) {
        java.util.regex.Matcher m = RULE_HANDLE.matcher(rulesWithHandles(ns, chain));
        if (!m.find()) {
            throw new AssertionError("no rule in chain " + chain);
        }
        return m.group(1);
    }

    private static final java.util.regex.Pattern COUNTERS = java.util.regex.Pattern.compile("counter packets \\d+ bytes \\d+");
    private static final java.util.regex.Pattern RULE_HANDLE = java.util.regex.Pattern.compile("(?m)^\\s+(?!chain )\\S.* # handle (\\d+)$");

    static String nft(TestNetns ns) {
        return ns.exec("nft", "list", "ruleset").stdout();
    }
}
