package org.vnetd.cli;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.Supplier;

import org.vnetd.cli.edit.Terminal;
import org.vnetd.client.RpcClient;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.core.error.VnetException;

/**
 * What a command needs from its surroundings: the output streams with virsh's print rules, the daemon
 * connection (opened on first use and kept for the interactive shell), the environment, the terminal,
 * the time zone for lease times. Tests build one around string writers and a test socket.
 */
public final class Session implements AutoCloseable {
    private final PrintWriter out;
    private final PrintWriter err;
    private final BufferedReader in;
    private final GlobalOptions options;
    private final Function<String, String> env;
    private final Terminal terminal;
    private final Supplier<ZoneId> zone;
    private VnetdApi api;

    /**
     * {@code env} and {@code zone} are looked up only when a command needs them: reading the whole
     * environment or the time-zone database costs a short-lived command measurable start-up time.
     */
    public Session(PrintWriter out, PrintWriter err, BufferedReader in, GlobalOptions options,
                   Function<String, String> env, Terminal terminal, Supplier<ZoneId> zone) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.options = options;
        this.env = env;
        this.terminal = terminal;
        this.zone = zone;
    }

    /** The daemon connection, opened on first use; throws DaemonUnreachableException when it cannot be. */
    public VnetdApi api() {
        if (api == null) {
            api = new VnetdApi(RpcClient.connect(options.socket()));
        }
        return api;
    }

    /** Forgets a broken connection so the interactive shell reconnects on the next command. */
    public void dropConnection() {
        if (api != null) {
            api.close();
            api = null;
        }
    }

    /** virsh's vshPrint: always printed. */
    public void print(String text) {
        out.print(text);
    }

    /** virsh's vshPrintExtra: suppressed by --quiet. */
    public void printExtra(String text) {
        if (!options.quiet()) {
            out.print(text);
        }
    }

    /** virsh's vshError: {@code error: } and the message on stderr. */
    public void error(String message) {
        out.flush();
        err.println("error: " + message);
        err.flush();
    }

    /** Reports a daemon error the way virsh's vshReportError prints the last libvirt error. */
    public void report(VnetException e) {
        error(e.getMessage());
    }

    /** The output stream itself, for the terminal dialogue of net-edit. */
    public PrintWriter outWriter() {
        return out;
    }

    public void flush() {
        out.flush();
        err.flush();
    }

    public boolean quiet() {
        return options.quiet();
    }

    public boolean json() {
        return options.json();
    }

    public GlobalOptions options() {
        return options;
    }

    public String env(String name) {
        return env.apply(name);
    }

    public Terminal terminal() {
        return terminal;
    }

    public ZoneId zone() {
        return zone.get();
    }

    public BufferedReader in() {
        return in;
    }

    /** Where net-edit puts its temporary file: $TMPDIR, else /tmp, as virsh does. */
    public Path tmpDir() {
        String t = env.apply("TMPDIR");
        return Path.of(t == null || t.isEmpty() ? "/tmp" : t);
    }

    @Override
    public void close() {
        dropConnection();
        flush();
    }
}
