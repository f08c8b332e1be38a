package org.vnetd.daemon.firewall;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Runs commands with {@link ProcessBuilder}, with a time bound. An optional argv prefix (e.g.
 * {@code ip netns exec NS}) runs every command somewhere else; the daemon uses no prefix.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private final List<String> prefix;
    private final Duration timeout;

    public ProcessCommandRunner() {
        this(List.of(), Duration.ofSeconds(30));
    }

    public ProcessCommandRunner(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    /** True when commands run in this process's own namespaces (no prefix). */
    public boolean runsHere() {
        return prefix.isEmpty();
    }

    @Override
    public CommandResult run(List<String> argv, String stdin) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        Process p;
        try {
            p = new ProcessBuilder(full).start();
        } catch (IOException e) {
            return new CommandResult(argv, NOT_FOUND, "", "cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        // read both pipes concurrently: a full stderr pipe would otherwise block the child
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the program exited without reading all input; its exit status says why
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw VnetException.of(ErrorCode.FIREWALL, "%s did not finish within %s", String.join(" ", argv), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new VnetException(ErrorCode.INTERNAL, "interrupted while running " + argv.get(0), e);
        }
        int code = p.exitValue();
        // `ip netns exec` reports a missing program as 255 with this text; normalise to "not found"
        String stderr = err.join();
        if (!prefix.isEmpty() && code != 0 && stderr.contains("No such file or directory") && stderr.contains("exec of")) {
            code = NOT_FOUND;
        }
        return new CommandResult(argv, code, out.join(), stderr);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
