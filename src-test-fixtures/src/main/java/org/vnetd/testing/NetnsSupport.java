package org.vnetd.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides whether namespace tests can run. Without root or `ip netns`, tests are skipped loudly;
 * with {@code CI=true} a missing capability fails the test instead, so CI can never pass by skipping.
 */
public final class NetnsSupport {
    private NetnsSupport() {
    }

    public static void require(String... commands) {
        String missing = whatIsMissing(commands);
        if (missing == null) {
            return;
        }
        unavailable(missing);
    }

    /**
     * Ends a test that cannot run here ({@code missing} says why): a skip, or with {@code CI=true} a failure.
     */
    public static void unavailable(String missing) {
        String msg = "NAMESPACE TEST NOT RUN: " + missing;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " (CI=true: a missing capability is a failure)");
        }
        System.err.println("!!! " + msg + " — skipping");
        Assumptions.abort(msg);
    }

    static String whatIsMissing(String... commands) {
        if (!isRoot()) {
            return "not running as root";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            return "iproute2's `ip` is not installed";
        }
        for (String c : commands) {
            if (!Exec.run("sh", "-c", "command -v " + c).ok()) {
                return "`" + c + "` is not installed (scripts/setup installs it)";
            }
        }
        return null;
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
