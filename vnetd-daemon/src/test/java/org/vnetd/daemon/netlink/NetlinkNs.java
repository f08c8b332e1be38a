package org.vnetd.daemon.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * A test namespace, a thread inside it and our backend opened from that thread, so every netlink
 * request and every /dev/net/tun open lands in the namespace. Effects are checked with iproute2's JSON
 * output, independently of our own dumps.
 */
final class NetlinkNs implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestNetns ns;
    final NetnsExecutor thread;
    final NetlinkLinkBackend backend;

    private NetlinkNs(TestNetns ns, NetnsExecutor thread, NetlinkLinkBackend backend) {
        this.ns = ns;
        this.thread = thread;
        this.backend = backend;
    }

    static NetlinkNs create(String purpose) {
        NetnsSupport.require("bridge");
        TestNetns ns = TestNetns.create(purpose);
        NetnsExecutor thread = null;
        try {
            thread = NetnsExecutor.enter(ns);
            NetlinkLinkBackend backend = thread.call(NetlinkLinkBackend::open);
            return new NetlinkNs(ns, thread, backend);
        } catch (RuntimeException e) {
            if (thread != null) {
                thread.close();
            }
            ns.close();
            throw e;
        }
    }

    /** Runs {@code task} on the namespace thread. */
    <T> T in(Callable<T> task) {
        return thread.call(task);
    }

    void run(Runnable task) {
        thread.run(task);
    }

    /** Runs a command in the namespace and parses its JSON output. */
    JsonNode json(String... command) {
        String out = ns.execOk(command);
        try {
            return JSON.readTree(out.isBlank() ? "[]" : out);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON from " + String.join(" ", command) + ": " + out, e);
        }
    }

    /** {@code ip -j -d link show dev NAME}: the one object, or null when the device is absent. */
    JsonNode ipLink(String name) {
        var r = ns.exec("ip", "-j", "-d", "link", "show", "dev", name);
        if (!r.ok()) {
            return null;
        }
        try {
            return JSON.readTree(r.stdout()).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> ipLinkNames() {
        List<String> names = new ArrayList<>();
        json("ip", "-j", "link", "show").forEach(n -> names.add(n.get("ifname").asText()));
        return names;
    }

    @Override
    public void close() {
        try {
            thread.run(backend::close);
        } finally {
            thread.close();
            ns.close();
        }
    }
}
