package org.vnetd.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.List;

import org.vnetd.cli.shell.LineTokenizer;
import org.vnetd.cli.shell.UsageException;

/**
 * virsh's interactive mode: a banner, the prompt ({@code vnetctl # } for root, {@code vnetctl > } otherwise),
 * one line per command (with {@code ;} and quoting), {@code quit}/{@code exit} or end of input to leave.
 * The connection stays open between commands, which is what makes a command here take milliseconds.
 * When input is not a terminal the line is echoed after the prompt, as readline does.
 */
final class InteractiveShell {
    private final Runner runner;
    private final Session session;
    private final BufferedReader in;
    private final boolean terminal;

    InteractiveShell(Runner runner, Session session, BufferedReader in, boolean terminal) {
        this.runner = runner;
        this.session = session;
        this.in = in;
        this.terminal = terminal;
    }

    int run() {
        session.printExtra("Welcome to vnetctl, the virtual network interactive terminal.\n\n"
                + "Type:  'help' for help with commands\n"
                + "       'quit' to quit\n\n");
        String prompt = isRoot() ? "vnetctl # " : "vnetctl > ";
        while (true) {
            String line = readLine(prompt);
            if (line == null) {
                break;
            }
            if (!terminal) {
                session.print(line + "\n");
            }
            List<List<String>> commands;
            try {
                commands = LineTokenizer.split(line);
            } catch (UsageException e) {
                session.error(e.getMessage());
                continue;
            }
            boolean quit = false;
            for (List<String> words : commands) {
                runner.runWords(words);
                if (runner.isQuit(words)) {
                    quit = true;
                    break;
                }
            }
            if (quit) {
                break;
            }
        }
        session.print("\n");
        session.flush();
        return 0;
    }

    /**
     * On a terminal the JDK's console reads the line (it prints the prompt and echoes); otherwise plain
     * lines from stdin. ({@code -Djdk.console=jdk.internal.le} in VNETCTL_JAVA_OPTS gives JLine's line
     * editing; not the default, as it is not yet tested here.)
     */
    private String readLine(String prompt) {
        java.io.Console console = terminal ? System.console() : null;
        if (console != null) {
            session.flush();
            try {
                return console.readLine("%s", prompt);
            } catch (java.io.IOError e) {
                return null;
            }
        }
        session.print(prompt);
        session.flush();
        try {
            return in.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
