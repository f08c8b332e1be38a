package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.vnetd.cli.edit.Terminal;

/**
 * net-edit driven by a scripted $VISUAL: each run of the editor applies the next edit from a list (a sed
 * expression, or nothing). The daemon refuses any XML containing BROKEN, like a validation failure.
 */
class NetEditTest {
    @TempDir
    Path dir;
    Path tmp;
    FakeVnetd daemon;

    /** A terminal that answers from a script and remembers what it was asked. */
    static final class ScriptedTerminal implements Terminal {
        final Deque<Character> answers = new ArrayDeque<>();
        final List<String> asked = new ArrayList<>();

        ScriptedTerminal(char... answers) {
            for (char c : answers) {
                this.answers.add(c);
            }
        }

        @Override
        public boolean isInteractive() {
            return true;
        }

        @Override
        public char askReedit(String message, PrintWriter out) {
            asked.add(message);
            return answers.isEmpty() ? 'n' : answers.poll();
        }
    }

    @BeforeEach
    void start() throws IOException {
        tmp = Files.createDirectory(dir.resolve("tmp"));
        daemon = new FakeVnetd(dir.resolve("vnetd.sock"));
        var define = daemon.handlers.get("network.define");
        daemon.handlers.put("network.define", p -> {
            if (p.path("xml").asText().contains("BROKEN")) {
                throw new FakeVnetd.Fault(2, "XML_PARSE", "XML error: unexpected element <BROKEN> in <network>");
            }
            return define.apply(p);
        });
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    /** An editor script applying {@code edits[i]} (sed expressions; "" = save unchanged) on its i-th run. */
    Path editor(String... edits) throws IOException {
        Path counter = dir.resolve("runs");
        StringBuilder sh = new StringBuilder("#!/bin/sh\nn=$(cat '" + counter + "' 2>/dev/null || echo 0)\n"
                + "echo $((n+1)) > '" + counter + "'\ncase $n in\n");
        for (int i = 0; i < edits.length; i++) {
            if (!edits[i].isEmpty()) {
                sh.append("  ").append(i).append(") sed -i '").append(edits[i]).append("' \"$1\" ;;\n");
            }
        }
        sh.append("esac\n");
        Path script = dir.resolve("editor.sh");
        Files.writeString(script, sh.toString());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    Cli cli(Path editor, Terminal terminal) {
        return new Cli(daemon.socket()).env("VISUAL", editor.toString()).env("TMPDIR", tmp.toString())
                .terminal(terminal);
    }

    List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.toList();
        }
    }

    long defines() {
        return daemon.methods().stream().filter("network.define"::equals).count();
    }

    @Test
    void aValidEditIsDefined() throws IOException {
        Cli.Result r = cli(editor("s/192.168.122.254/192.168.122.200/"), Terminal.NONE).run("net-edit", "default");
        assertEquals("Network default XML configuration edited.\n\n", r.out());
        assertEquals("", r.err());
        assertEquals(0, r.status());
        assertTrue(daemon.xml.get("default").contains("192.168.122.200"), daemon.xml.get("default"));
        assertEquals(List.of(), leftovers(), "the temp file is removed after success");
    }

    @Test
    void anUntouchedFileIsNotChanged() throws IOException {
        Cli.Result r = cli(editor(""), Terminal.NONE).run("net-edit", "default");
        assertEquals("Network default XML configuration not changed.\n\n", r.out());
        assertEquals(0, r.status());
        assertEquals(0, defines());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void editorTakesVisualThenEditor() throws IOException {
        Path script = editor("s/virbr0/virbr5/");
        Cli.Result r = new Cli(daemon.socket()).env("EDITOR", script.toString()).env("TMPDIR", tmp.toString())
                .run("net-edit", "default");
        assertEquals("Network default XML configuration edited.\n\n", r.out());
    }

    @Test
    void anInvalidEditThenAFixOnATerminal() throws IOException {
        ScriptedTerminal tty = new ScriptedTerminal('y');
        Cli.Result r = cli(editor("s#<forward#<BROKEN/><forward#", "/<BROKEN\\/>/d"), tty).run("net-edit", "default");
        assertEquals(List.of("Failed."), tty.asked);
        assertEquals("error: XML error: unexpected element <BROKEN> in <network>\n", r.err());
        assertEquals("Network default XML configuration edited.\n\n", r.out());
        assertEquals(0, r.status());
        assertEquals(2, defines());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void givingUpKeepsTheEditAndSaysWhere() throws IOException {
        ScriptedTerminal tty = new ScriptedTerminal('n');
        Cli.Result r = cli(editor("s#<forward#<BROKEN/><forward#"), tty).run("net-edit", "default");
        assertEquals(1, r.status());
        List<Path> kept = leftovers();
        assertEquals(1, kept.size());
        assertTrue(kept.getFirst().getFileName().toString().matches("virsh[A-Za-z0-9]{6}\\.xml"), kept.toString());
        assertTrue(Files.readString(kept.getFirst()).contains("<BROKEN/>"), "the edit survives");
        assertTrue(r.err().endsWith("error: your edit is kept in " + kept.getFirst() + "; fix it and apply it with"
                + " 'vnetctl net-define " + kept.getFirst() + "'\n"), r.err());
    }

    @Test
    void withoutATerminalAFailureIsReportedAndTheEditKept() throws IOException {
        Cli.Result r = cli(editor("s#<forward#<BROKEN/><forward#"), Terminal.NONE).run("net-edit", "default");
        List<Path> kept = leftovers();
        assertEquals(1, kept.size());
        assertEquals("error: Failed.\nerror: XML error: unexpected element <BROKEN> in <network>\n"
                + "error: your edit is kept in " + kept.getFirst() + "; fix it and apply it with 'vnetctl net-define "
                + kept.getFirst() + "'\n", r.err());
        assertEquals("\n", r.out());
        assertEquals(1, r.status());
    }

    @Test
    void aConcurrentChangeAsksAndForceRedefines() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        var getXml = daemon.handlers.get("network.getXml");
        daemon.handlers.put("network.getXml", p -> {
            if (reads.incrementAndGet() == 2) {
                daemon.xml.put("default", daemon.xml.get("default").replace("stp='on'", "stp='off'"));
            }
            return getXml.apply(p);
        });
        ScriptedTerminal tty = new ScriptedTerminal('f');
        Cli.Result r = cli(editor("s/192.168.122.254/192.168.122.100/"), tty).run("net-edit", "default");
        assertEquals(List.of("The XML configuration was changed by another user."), tty.asked);
        assertEquals("Network default XML configuration edited.\n\n", r.out());
        assertTrue(daemon.xml.get("default").contains("192.168.122.100"));
    }

    @Test
    void aFailingEditorKeepsTheFile() throws IOException {
        Path script = dir.resolve("false.sh");
        Files.writeString(script, "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Cli.Result r = cli(script, Terminal.NONE).run("net-edit", "default");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: Child process (" + script + " "), r.err());
        assertTrue(r.err().contains("unexpected exit status 3"), r.err());
    }
}
