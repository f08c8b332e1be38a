package org.vnetd.testing.dhcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.Exec;

/** Process bookkeeping shared by the drivers: one client process, one script dir, bounded waits. */
abstract class AbstractClient implements DhcpClientDriver {
    protected final DhcpClientNs client;
    protected final ScriptDir dir;
    protected Process process;
    private int seen;

    AbstractClient(DhcpClientNs client, String tag) {
        this.client = client;
        this.dir = new ScriptDir(tag);
    }

    @Override
    public DhcpClientNs clientNs() {
        return client;
    }

    protected abstract List<String> command();

    /** Event names the script reports for a first lease / a renewal / a release. */
    protected abstract String[] boundEvents();

    protected abstract String[] renewEvents();

    protected abstract DhcpLeaseInfo parse(String event, Map<String, String> env);

    @Override
    public void start() {
        List<String> argv = new ArrayList<>(client.ns().prefix());
        argv.addAll(command());
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(dir.file("client.log").toFile()).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public DhcpLeaseInfo awaitBound(Duration timeout) {
        return next(timeout, boundEvents());
    }

    @Override
    public DhcpLeaseInfo awaitRenew(Duration timeout) {
        return next(timeout, renewEvents());
    }

    protected DhcpLeaseInfo next(Duration timeout, String... events) {
        try {
            Map<String, String> env = dir.await(timeout, seen, events);
            seen = dir.count();
            String ev = env.getOrDefault("reason", env.getOrDefault("ev", ""));
            return parse(ev, env);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(name() + ": " + e.getMessage() + "\nclient log:\n" + log(), e);
        } catch (AssertionError e) {
            throw new AssertionError(name() + ": " + e.getMessage() + "\nclient log:\n" + log(), e);
        }
    }

    public String log() {
        try {
            return java.nio.file.Files.readString(dir.file("client.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    protected void signal(String sig) {
        if (process != null && process.isAlive()) {
            Exec.run("kill", "-" + sig, Long.toString(process.pid()));
        }
    }

    protected static List<String> dns(String spaceSeparated) {
        return spaceSeparated == null || spaceSeparated.isBlank() ? List.of()
                : Arrays.asList(spaceSeparated.trim().split("\\s+"));
    }

    protected static Integer intOrNull(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.trim());
    }

    protected static Long longOrNull(String s) {
        return s == null || s.isBlank() ? null : Long.valueOf(s.trim());
    }

    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        dir.close();
    }
}
