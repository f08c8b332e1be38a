package org.vnetd.cli.shell;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one command's words into a {@link ParsedCommand} with virsh's rules (tools/vsh.c vshCommandParse):
 * {@code --opt value}, {@code --opt=value}, bare words fill the positional options in order, {@code --}
 * ends option parsing, {@code --help} turns the line into {@code help COMMAND}. Errors carry virsh's text.
 */
public final class CommandLineParser {
    private final Function<String, Optional<CommandDef>> commands;

    public CommandLineParser(Function<String, Optional<CommandDef>> commands) {
        this.commands = commands;
    }

    public ParsedCommand parse(List<String> words) throws UsageException {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        String name = words.getFirst();
        CommandDef def = commands.apply(name)
                .orElseThrow(() -> new UsageException("unknown command: '" + name + "'"));
        boolean lenient = def.name().equals("help");
        Map<String, String> values = new LinkedHashMap<>();
        List<String> argv = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean dataOnly = false;
        boolean helpSeen = false;
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (!dataOnly && isOption(word)) {
                String optName = word.substring(2);
                String inlineValue = null;
                int eq = optName.indexOf('=');
                if (eq >= 0) {
                    inlineValue = optName.substring(eq + 1);
                    optName = optName.substring(0, eq);
                }
                if (optName.equals("help")) {
                    helpSeen = true;
                    continue;
                }
                String lookupName = optName;
                Optional<OptionDef> opt = def.option(lookupName);
                if (opt.isEmpty()) {
                    if (lenient) {
                        continue;
                    }
                    throw new UsageException("command '" + def.name() + "' doesn't support option --" + optName);
                }
                OptionDef o = opt.get();
                if (seen.contains(o.name()) && o.type() != OptionType.ARGV) {
                    throw new UsageException("option --" + optName + " already seen");
                }
                seen.add(o.name());
                if (o.type() == OptionType.BOOL) {
                    if (inlineValue != null) {
                        throw new UsageException("invalid '=' after option --" + o.name());
                    }
                    values.put(o.name(), "");
                    continue;
                }
                String value = inlineValue;
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw new UsageException("expected syntax: --" + o.name() + " " + o.type().placeholder());
                    }
                    value = words.get(++i);
                }
                assign(o, value, values, argv);
            } else if (!dataOnly && word.equals("--")) {
                dataOnly = true;
            } else {
                Optional<OptionDef> next = def.options().stream()
                        .filter(o -> o.positional() && (o.type() == OptionType.ARGV || !seen.contains(o.name())))
                        .findFirst();
                if (next.isEmpty()) {
                    if (lenient) {
                        continue;
                    }
                    throw new UsageException("unexpected data '" + word + "'");
                }
                seen.add(next.get().name());
                assign(next.get(), word, values, argv);
            }
        }
        if (helpSeen) {
            CommandDef help = commands.apply("help").orElseThrow();
            return new ParsedCommand(help, Map.of("command", def.name()), List.of());
        }
        for (OptionDef o : def.options()) {
            if (o.required() && !seen.contains(o.name())) {
                throw new UsageException(o.positional()
                        ? "command '" + def.name() + "' requires <" + o.name() + "> option"
                        : "command '" + def.name() + "' requires --" + o.name() + " option");
            }
        }
        return new ParsedCommand(def, values, argv);
    }

    private static void assign(OptionDef o, String value, Map<String, String> values, List<String> argv) {
        if (o.type() == OptionType.ARGV) {
            argv.add(value);
            values.put(o.name(), String.join(" ", argv));
        } else {
            values.put(o.name(), value);
        }
    }

    /** virsh treats {@code --x…} with an alphanumeric third character as an option; {@code -x} is data. */
    private static boolean isOption(String word) {
        return word.length() > 2 && word.startsWith("--") && Character.isLetterOrDigit(word.charAt(2));
    }
}
