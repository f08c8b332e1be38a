package org.vnetd.cli.shell;

/** virsh's option kinds (vsh.h VSH_OT_*): a flag, a string, a number, or the trailing word list. */
public enum OptionType {
    BOOL, STRING, INT, ARGV;

    /** The placeholder virsh prints after the option name in help and in "expected syntax" errors. */
    public String placeholder() {
        return this == INT ? "<number>" : "<string>";
    }
}
