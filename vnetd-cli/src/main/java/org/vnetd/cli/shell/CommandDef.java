package org.vnetd.cli.shell;

import java.util.List;
import java.util.Optional;

/**
 * A command's name, help line, description and options, in virsh's shape so {@code help COMMAND}
 * prints the same sections. {@code needsDaemon} is false for commands that work without a connection.
 */
public record CommandDef(String name, String group, String help, String description, List<OptionDef> options,
                         boolean needsDaemon) {

    public CommandDef {
        options = List.copyOf(options);
    }

    public Optional<OptionDef> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }
}
