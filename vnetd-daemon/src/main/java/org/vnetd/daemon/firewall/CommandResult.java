package org.vnetd.daemon.firewall;

import java.util.List;

/** What a command did: its argv, exit code and output. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean ok() {
        return exitCode == 0;
    }

    public String commandLine() {
        return String.join(" ", argv);
    }
}
