package org.vnetd.cli.shell;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command line after parsing: the definition, the given option values, and the ARGV words. */
public record ParsedCommand(CommandDef def, Map<String, String> values, List<String> argv) {

    public ParsedCommand {
        values = Map.copyOf(values);
        argv = List.copyOf(argv);
    }

    public boolean has(String option) {
        return values.containsKey(option);
    }

    /** True when a boolean option was given. */
    public boolean flag(String option) {
        return values.containsKey(option);
    }

    public Optional<String> string(String option) {
        return Optional.ofNullable(values.get(option));
    }

    /**
     * A string option that must not be empty when present, as virsh's vshCommandOptStringReq checks.
     */
    public Optional<String> nonEmpty(String option) throws UsageException {
        String v = values.get(option);
        if (v != null && v.isEmpty()) {
            throw new UsageException("Failed to get option '" + option + "': Option argument is empty");
        }
        return Optional.ofNullable(v);
    }

    /** A required string; the parser already refused a missing one, so only emptiness is left to check. */
    public String required(String option) throws UsageException {
        return nonEmpty(option).orElseThrow(
                () -> new UsageException("Failed to get option '" + option + "': Mandatory option not present"));
    }

    /** An int option, or {@code fallback} when absent; virsh's message when it is not a number. */
    public int integer(String option, int fallback) throws UsageException {
        String v = values.get(option);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("Numeric value '" + v + "' for <" + option
                    + "> option is malformed or out of range");
        }
    }
}
