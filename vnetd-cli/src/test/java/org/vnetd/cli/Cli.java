package org.vnetd.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.cli.edit.Terminal;

/** Runs vnetctl in-process against a socket with given stdin, environment and terminal; captures everything. */
final class Cli {
    record Result(int status, String out, String err) {
    }

    private final Path socket;
    private final Map<String, String> env = new HashMap<>();
    private Terminal terminal = Terminal.NONE;
    private String stdin = "";

    Cli(Path socket) {
        this.socket = socket;
        env.put("TMPDIR", System.getProperty("java.io.tmpdir"));
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli terminal(Terminal t) {
        this.terminal = t;
        return this;
    }

    Cli stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Runs {@code vnetctl -c SOCKET args...}. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", socket.toString()));
        all.addAll(List.of(args));
        return raw(all.toArray(String[]::new));
    }

    /** Runs vnetctl with exactly these arguments. */
    Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Vnetctl.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), env::get, terminal, () -> ZoneId.of("UTC"), args);
        return new Result(status, out.toString(), err.toString());
    }
}
