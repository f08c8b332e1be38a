package org.vnetd.cli;

import java.util.List;
import java.util.Optional;

import org.vnetd.cli.command.Command;
import org.vnetd.cli.command.CommandRegistry;
import org.vnetd.client.DaemonUnreachableException;
import org.vnetd.cli.shell.CommandLineParser;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/**
 * Parses and runs commands with virsh's vshCommandRun conventions: a parse error prints only the error;
 * a command that ran is followed by an empty line unless --quiet (or --json); a missing daemon is reported
 * once with the socket's name and what to do about it.
 */
final class Runner {
    private final CommandRegistry registry;
    private final Session session;
    private final CommandLineParser parser;

    Runner(CommandRegistry registry, Session session) {
        this.registry = registry;
        this.session = session;
        this.parser = new CommandLineParser(registry::def);
    }

    boolean isQuit(List<String> words) {
        return !words.isEmpty() && (words.getFirst().equals("quit") || words.getFirst().equals("exit"));
    }

    /** Runs {@code ;}-separated commands; the status is the last one's, and a parse error stops the line. */
    boolean runLine(List<List<String>> commands) {
        boolean ok = true;
        for (List<String> words : commands) {
            ok = runWords(words);
        }
        return ok;
    }

    boolean runWords(List<String> words) {
        ParsedCommand parsed;
        try {
            parsed = parser.parse(words);
        } catch (UsageException e) {
            session.error(e.getMessage());
            return false;
        }
        return execute(parsed);
    }

    boolean execute(ParsedCommand parsed) {
        Command command = registry.command(parsed.def().name()).orElseThrow();
        boolean ok;
        try {
            if (parsed.def().needsDaemon()) {
                session.api();
            }
            ok = command.run(session, parsed);
        } catch (UsageException e) {
            session.error(e.getMessage());
            ok = false;
        } catch (DaemonUnreachableException e) {
            reportUnreachable(e);
            session.dropConnection();
            ok = false;
        } catch (VnetException e) {
            session.report(e);
            ok = false;
        }
        if (isQuit(List.of(parsed.def().name()))) {
            return ok;
        }
        if (!session.json()) {
            session.printExtra("\n");
        }
        session.flush();
        return ok;
    }

    private void reportUnreachable(DaemonUnreachableException e) {
        session.error("failed to connect to the vnetd daemon");
        session.error(e.getMessage());
        Optional<String> hint = switch (e.reason()) {
            case "No such file or directory", "Connection refused" -> Optional.of("is vnetd running? Start it with"
                    + " 'systemctl start vnetd', or give its socket with -c/--connect");
            case "Permission denied" -> Optional.of("the socket " + e.socket() + " needs more privileges: run as root,"
                    + " or use -r/--readonly (socket " + GlobalOptions.READONLY_SOCKET + ") for read-only commands");
            default -> Optional.empty();
        };
        hint.ifPresent(session::error);
    }
}
