package org.vnetd.cli.command;

import java.util.List;
import java.util.Optional;

import org.vnetd.cli.Session;
import org.vnetd.cli.shell.CommandDef;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.cli.shell.OptionType;
import org.vnetd.cli.shell.ParsedCommand;

/** help, help COMMAND, help GROUP: virsh's layout (NAME, SYNOPSIS, DESCRIPTION, OPTIONS). */
public final class Help implements Command {
    static final CommandDef DEF = new CommandDef("help", "vnetctl", "print help",
            "Prints global help, command specific help, or help for a\n    group of related commands",
            List.of(OptionDef.positionalString("command",
                    "Prints global help, command specific help, or help for a group of related commands")), false);

    private final CommandRegistry registry;

    public Help(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CommandDef def() {
        return DEF;
    }

    @Override
    public boolean run(Session s, ParsedCommand cmd) {
        Optional<String> topic = cmd.string("command");
        if (topic.isEmpty()) {
            s.print("Grouped commands:\n\n");
            registry.groups().forEach(g -> {
                group(s, g);
                s.print("\n");
            });
            return true;
        }
        Optional<CommandRegistry.Group> group = registry.groups().stream()
                .filter(g -> g.keyword().equals(topic.get()) || g.title().equals(topic.get())).findFirst();
        if (group.isPresent()) {
            group(s, group.get());
            return true;
        }
        Optional<CommandDef> def = registry.def(topic.get());
        if (def.isEmpty()) {
            s.error("command or command group '" + topic.get() + "' doesn't exist");
            return false;
        }
        s.print(commandHelp(def.get()));
        return true;
    }

    private static void group(Session s, CommandRegistry.Group g) {
        s.print(" " + g.title() + " (help keyword '" + g.keyword() + "'):\n");
        for (Command c : g.commands()) {
            s.print(String.format("    %-30s %s%n", c.def().name(), c.def().help()));
        }
    }

    static String commandHelp(CommandDef def) {
        StringBuilder sb = new StringBuilder();
        sb.append("  NAME\n    ").append(def.name()).append(" - ").append(def.help()).append('\n');
        sb.append("\n  SYNOPSIS\n    ").append(def.name());
        for (OptionDef o : def.options()) {
            sb.append(switch (o.type()) {
                case BOOL -> " [--" + o.name() + "]";
                case ARGV -> " [<" + o.name() + ">]...";
                default -> isData(o) ? " <" + o.name() + ">" : " [--" + o.name() + " " + o.type().placeholder() + "]";
            });
        }
        sb.append('\n');
        if (!def.description().isEmpty()) {
            sb.append("\n  DESCRIPTION\n    ").append(def.description()).append('\n');
        }
        if (!def.options().isEmpty()) {
            sb.append("\n  OPTIONS\n");
            for (OptionDef o : def.options()) {
                String opt = switch (o.type()) {
                    case BOOL -> "--" + o.name();
                    case ARGV -> "[--" + o.name() + "] <string>...";
                    default -> isData(o) ? "[--" + o.name() + "] " + o.type().placeholder()
                            : "--" + o.name() + " " + o.type().placeholder();
                };
                sb.append(String.format("    %-15s  %s%n", opt, o.help()));
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    /** virsh 9's VSH_OT_DATA: required and given as a bare word. */
    private static boolean isData(OptionDef o) {
        return o.required() && o.positional() && o.type() != OptionType.BOOL;
    }
}
