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

    static String nft(TestNetns ns) {
        return ns.exec("nft", "list", "ruleset").stdout();
    }
}
