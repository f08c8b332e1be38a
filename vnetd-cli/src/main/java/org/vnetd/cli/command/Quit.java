package org.vnetd.cli.command;

import java.util.List;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.ParsedCommand;

/** quit / exit: ends the interactive shell (the shell checks the name); outside it, does nothing. */
public final class Quit implements Command {
    private final CommandDef def;

    public Quit(String name) {
        this.def = new CommandDef(name, "vnetctl", "quit this interactive terminal", "", List.of(), false);
    }

    @Override
    public CommandDef def() {
        return def;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) {
        return true;
    }
}
