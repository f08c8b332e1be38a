package org.vnetd.testing.ovn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.vnetd.testing.TestNetns;

/** OVN daemons a test runs as its own children in a namespace (never --detach), stopped in reverse order. */
final class OvnProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();

    Process spawn(TestNetns ns, Path dir, Map<String, String> env, String... command) {
        List<String> argv = new ArrayList<>(ns.prefix());
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(command[0]).getFileName() + ".out").toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command[0], e);
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
        processes.clear();
    }
}
