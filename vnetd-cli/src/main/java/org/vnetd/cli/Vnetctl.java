package org.vnetd.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.vnetd.cli.command.CommandRegistry;
import org.vnetd.cli.edit.Terminal;
import org.vnetd.cli.edit.TtyTerminal;
import org.vnetd.cli.shell.LineTokenizer;
import org.vnetd.cli.shell.UsageException;

/**
 * vnetctl: virsh's net-* commands, formats, messages and exit codes over vnetd's RPC. With a command it
 * runs it and exits 0 or 1; without one it is an interactive shell like virsh's.
 */
public final class Vnetctl {
    private Vnetctl() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int status = run(System.in, out, err, System::getenv, new TtyTerminal(System.in), ZoneId::systemDefault,
                args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(InputStream.nullInputStream(), out, err, System::getenv, Terminal.NONE, ZoneId::systemDefault,
                args);
    }

    /** Everything a run depends on is a parameter, so tests drive it with their own streams, env and terminal. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, Function<String, String> env,
                          Terminal terminal, Supplier<ZoneId> zone, String... args) {
        GlobalOptions options;
        try {
            options = GlobalOptions.parse(Arrays.asList(args));
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (options.help()) {
            out.print(usage());
            out.flush();
            return 0;
        }
        if (options.version()) {
            out.println(version());
            out.flush();
            return 0;
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        CommandRegistry registry = CommandRegistry.standard();
        try (Session session = new Session(out, err, reader, options, env, terminal, zone)) {
            Runner runner = new Runner(registry, session);
            List<String> rest = options.rest();
            if (rest.isEmpty()) {
                return new InteractiveShell(runner, session, reader, terminal.isInteractive()).run();
            }
            if (rest.size() == 1 && isCommandString(rest.getFirst())) {
                // virsh parses a single argument as a command string: vnetctl 'net-list --all; net-info x'
                try {
                    return runner.runLine(LineTokenizer.split(rest.getFirst())) ? 0 : 1;
                } catch (UsageException e) {
                    session.error(e.getMessage());
                    return 1;
                }
            }
            return runner.runWords(rest) ? 0 : 1;
        }
    }

    private static boolean isCommandString(String arg) {
        return arg.indexOf(' ') >= 0 || arg.indexOf('\t') >= 0 || arg.indexOf(';') >= 0;
    }

    static String version() {
        Package p = Vnetctl.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    static String usage() {
        return """

                vnetctl [options]... [<command_string>]
                vnetctl [options]... <command> [args...]

                  options:
                    -c | --connect=SOCKET   daemon socket (default /run/vnetd/vnetd.sock)
                    -h | --help             this help
                    -q | --quiet            quiet mode
                    -r | --readonly         connect to the read-only socket /run/vnetd/vnetd-ro.sock
                    --json                  machine-readable output of the listing commands
                    -v | --version          program version

                  commands (non interactive mode):

                """ + commandList() + """

                  (specify help <group> for details about the commands in the group)

                  (specify help <command> for details about the command)

                """;
    }

    private static String commandList() {
        StringBuilder sb = new StringBuilder();
        for (CommandRegistry.Group g : CommandRegistry.standard().groups()) {
            sb.append(" ").append(g.title()).append(" (help keyword '").append(g.keyword()).append("')\n");
            g.commands().forEach(c -> sb.append(String.format("    %-30s %s%n", c.def().name(), c.def().help())));
            sb.append('\n');
        }
        return sb.toString();
    }
}
