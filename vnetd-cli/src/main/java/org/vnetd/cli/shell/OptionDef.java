package org.vnetd.cli.shell;

/**
 * One option of a command, as virsh declares it. {@code positional} options may be given without their
 * {@code --name} (virsh 9's VSH_OT_DATA, and the STRING/INT options it fills from bare words in order);
 * {@code required} ones must be present.
 */
public record OptionDef(String name, OptionType type, boolean required, boolean positional, String help) {

    /** A required option that may be given as a bare word ({@code <network>}). */
    public static OptionDef data(String name, String help) {
        return new OptionDef(name, OptionType.STRING, true, true, help);
    }

    public static OptionDef bool(String name, String help) {
        return new OptionDef(name, OptionType.BOOL, false, false, help);
    }

    /** An optional string that only works as {@code --name value}. */
    public static OptionDef string(String name, String help) {
        return new OptionDef(name, OptionType.STRING, false, false, help);
    }

    /** An optional string that virsh 9 also fills from the next bare word. */
    public static OptionDef positionalString(String name, String help) {
        return new OptionDef(name, OptionType.STRING, false, true, help);
    }

    public static OptionDef positionalInt(String name, String help) {
        return new OptionDef(name, OptionType.INT, false, true, help);
    }

    public static OptionDef argv(String name, String help) {
        return new OptionDef(name, OptionType.ARGV, false, true, help);
    }
}
