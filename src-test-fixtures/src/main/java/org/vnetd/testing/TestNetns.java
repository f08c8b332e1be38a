package org.vnetd.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace a test creates and always deletes ({@code try (var ns = TestNetns.create("fw"))}).
 * Names start with {@code vnt-} so leftovers are easy to spot; the root namespace is never touched.
 */
public final class TestNetns implements AutoCloseable {
    private final String name;
    private boolean closed;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Creates {@code vnt-<purpose>-<random>} with loopback up. */
    public static TestNetns create(String purpose) {
        String tag = purpose.replaceAll("[^a-z0-9]", "");
        if (tag.length() > 8) {
            tag = tag.substring(0, 8);
        }
        String name = "vnt-" + tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        Exec.run("ip", "netns", "add", name).orThrow();
        TestNetns ns = new TestNetns(name);
        try {
            ns.execOk("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The argv prefix that runs a command inside this namespace. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    public Exec.Result exec(String... command) {
        return exec(Exec.DEFAULT_TIMEOUT, command);
    }

    public Exec.Result exec(Duration timeout, String... command) {
        List<String> argv = new ArrayList<>(prefix());
        argv.addAll(List.of(command));
        return Exec.run(timeout, null, argv);
    }

    public Exec.Result execWithInput(String stdin, String... command) {
        List<String> argv = new ArrayList<>(prefix());
        argv.addAll(List.of(command));
        return Exec.run(Exec.DEFAULT_TIMEOUT, stdin, argv);
    }

    public String execOk(String... command) {
        return exec(command).orThrow().stdout();
    }

    /** Starts a long-running process inside the namespace; {@link #close()} kills it if the test does not. */
    public Process start(String... command) {
        List<String> argv = new ArrayList<>(prefix());
        argv.addAll(List.of(command));
        try {
            return new ProcessBuilder(argv).redirectErrorStream(false).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A veth pair: {@code local} stays here, {@code remote} moves into {@code other}; both are set up. */
    public void veth(String local, TestNetns other, String remote) {
        execOk("ip", "link", "add", local, "type", "veth", "peer", "name", remote, "netns", other.name());
        execOk("ip", "link", "set", local, "up");
        other.execOk("ip", "link", "set", remote, "up");
    }

    /**
     * Waits until no IPv6 address in the namespace is tentative. {@code nodad} covers only the
     * addresses a test adds; the kernel's own link-local addresses still run DAD (about a second,
     * longer on a loaded machine), and a router forwarding a packet sends its neighbour solicitation
     * from its link-local address: while that is tentative, forwarded IPv6 is silently dropped.
     */
    public void awaitIpv6Settled(Duration timeout) {
        String[] tentative = {""};
        try {
            Await.until(timeout, Duration.ofMillis(50), "IPv6 addresses in " + name + " to leave 'tentative'", () -> {
                tentative[0] = execOk("ip", "-6", "-o", "addr", "show", "tentative").trim();
                return tentative[0].isEmpty() || tentative[0].contains("dadfailed");
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ", still tentative:\n" + tentative[0], e);
        }
        if (tentative[0].contains("dadfailed")) {
            throw new IllegalStateException(name + ": IPv6 duplicate address detection failed:\n" + tentative[0]);
        }
    }

    /** Kills every process still inside the namespace, then deletes it. Safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int attempt = 0; attempt < 3; attempt++) {
            String pids = Exec.run("ip", "netns", "pids", name).stdout().trim();
            if (pids.isEmpty()) {
                break;
            }
            for (String pid : pids.split("\\s+")) {
                Exec.run("kill", "-9", pid);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Exec.Result r = Exec.run("ip", "netns", "del", name);
        if (!r.ok()) {
            System.err.println("warning: could not delete namespace " + name + ": " + r.stderr());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
