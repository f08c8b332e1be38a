package org.vnetd.daemon.activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * The descriptors a service manager passed at exec, as sd_listen_fds_with_names(3) reads them:
 * {@code $LISTEN_FDS} descriptors from 3 on, meant for us only if {@code $LISTEN_PID} is our pid, each
 * named by {@code $LISTEN_FDNAMES} (colon-separated; "unknown" where none was given). They are the
 * socket units' listening sockets and what our file-descriptor store kept across a restart.
 */
public record ListenFds(List<Passed> fds) {
    /** sd_listen_fds(3)'s SD_LISTEN_FDS_START. */
    public static final int FIRST_FD = 3;

    /** One passed descriptor and the name it came with. */
    public record Passed(String name, int fd) {
    }

    public ListenFds {
        fds = List.copyOf(fds);
    }

    public static ListenFds none() {
        return new ListenFds(List.of());
    }

    /** Reads this process's environment. */
    public static ListenFds fromEnvironment() {
        return parse(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * Reads {@code env} for process {@code pid}. No {@code LISTEN_FDS}, or one meant for another process
     * (a child that inherited the environment), is none. Numbers that are not numbers are an error naming
     * the variable: they mean a broken service manager, and guessing would adopt a wrong descriptor.
     */
    public static ListenFds parse(Map<String, String> env, long pid) {
        String count = env.get("LISTEN_FDS");
        String forPid = env.get("LISTEN_PID");
        if (count == null || count.isEmpty() || forPid == null || forPid.isEmpty()) {
            return none();
        }
        long listenPid = number("LISTEN_PID", forPid);
        if (listenPid != pid) {
            return none();
        }
        int n = (int) number("LISTEN_FDS", count);
        String namesText = env.get("LISTEN_FDNAMES");
        String[] names = namesText == null || namesText.isEmpty() ? new String[0] : namesText.split(":", -1);
        if (names.length > 0 && names.length != n) {
            throw new VnetException(ErrorCode.INTERNAL, "LISTEN_FDNAMES names " + names.length + " descriptors but LISTEN_FDS says "
                    + n + ": '" + namesText + "'");
        }
        List<Passed> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Passed(names.length == 0 ? "unknown" : names[i], FIRST_FD + i));
        }
        return new ListenFds(out);
    }

    private static long number(String variable, String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < 0 || v > 65536 && variable.equals("LISTEN_FDS")) {
                throw new NumberFormatException("out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new VnetException(ErrorCode.INTERNAL, variable + "='" + text + "' is not a valid number", e);
        }
    }
}
