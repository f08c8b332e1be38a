package org.vnetd.cli.command;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;

/** One vnetctl command: its virsh-shaped definition and its handler, which returns virsh's success flag. */
public interface Command {
    CommandDef def();

    /**
     * Runs the command. Failures are reported on the session (virsh's error lines) and return false;
     * a {@link UsageException} is a bad value the runner reports the same way.
     */
    boolean run(Session session, ParsedCommand cmd) throws UsageException;
}
