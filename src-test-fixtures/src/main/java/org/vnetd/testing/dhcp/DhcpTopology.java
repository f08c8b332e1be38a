package org.vnetd.testing.dhcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.vnetd.testing.TestNetns;

/**
 * A "host" namespace with a bridge carrying the server's address, and client namespaces each wired
 * to the bridge through a veth pair. Everything is created with {@code ip} and deleted on close.
 */
public final class DhcpTopology implements AutoCloseable {
    private final TestNetns host;
    private final String bridge;
    private final List<DhcpClientNs> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /** A namespace {@code vnt-<purpose>-*} with bridge {@code bridge} (up) holding {@code serverCidr}. */
    public static DhcpTopology create(String purpose, String bridge, String serverCidr) {
        TestNetns host = TestNetns.create(purpose);
        try {
            host.execOk("ip", "link", "add", bridge, "type", "bridge", "forward_delay", "0");
            host.execOk("ip", "addr", "add", serverCidr, "dev", bridge);
            host.execOk("ip", "link", "set", bridge, "up");
            return new DhcpTopology(host, bridge);
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    private DhcpTopology(TestNetns host, String bridge) {
        this.host = host;
        this.bridge = bridge;
    }

    public TestNetns host() {
        return host;
    }

    public String bridge() {
        return bridge;
    }

    /**
     * A client namespace whose interface has a unique name (dhcpcd keeps per-interface files under
     * /run and /var/lib) and the given MAC (null: kernel's random one).
     */
    public DhcpClientNs addClient(String mac) {
        int n = next.incrementAndGet();
        String tag = Integer.toHexString(System.identityHashCode(this) & 0xfff);
        TestNetns ns = TestNetns.create("dhcpc");
        try {
            String hostSide = "vh" + tag + "x" + n;
            String clientSide = "vc" + tag + "x" + n;
            host.veth(hostSide, ns, clientSide);
            host.execOk("ip", "link", "set", hostSide, "master", bridge);
            if (mac != null) {
                ns.execOk("ip", "link", "set", clientSide, "down");
                ns.execOk("ip", "link", "set", clientSide, "address", mac);
                ns.execOk("ip", "link", "set", clientSide, "up");
            }
            DhcpClientNs c = new DhcpClientNs(ns, clientSide, ns.execOk("cat", "/sys/class/net/" + clientSide + "/address").trim());
            clients.add(c);
            return c;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (DhcpClientNs c : clients) {
            c.ns().close();
        }
        host.close();
    }
}
