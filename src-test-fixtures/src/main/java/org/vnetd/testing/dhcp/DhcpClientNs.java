package org.vnetd.testing.dhcp;

import org.vnetd.testing.TestNetns;

/** A client's namespace and its interface (name and MAC) on the bridge. */
public record DhcpClientNs(TestNetns ns, String ifname, String mac) {
    /** The IPv4 addresses configured on the interface, e.g. {@code 10.0.0.10/24}. */
    public java.util.List<String> addresses() {
        String out = ns.execOk("ip", "-4", "-o", "addr", "show", "dev", ifname);
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    list.add(f[i + 1]);
                }
            }
        }
        return list;
    }
}
