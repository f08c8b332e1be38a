package org.vnetd.cli.command;

import org.vnetd.cli.Session;

/** Helpers other packages' commands share with this one. */
public final class Commands {
    private Commands() {
    }

    public static void printJson(Session s, Object value) {
        JsonOut.print(s, value);
    }
}
