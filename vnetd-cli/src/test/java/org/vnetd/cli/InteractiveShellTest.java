package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.vnetd.cli.shell.LineTokenizer;
import org.vnetd.cli.shell.UsageException;

/** The interactive shell with piped input: virsh's banner, prompt, echo, per-command empty line, quit and EOF. */
class InteractiveShellTest {
    @TempDir
    Path dir;
    FakeVnetd daemon;

    @BeforeEach
    void start() throws IOException {
        daemon = new FakeVnetd(dir.resolve("vnetd.sock"));
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    static final String BANNER = "Welcome to vnetctl, the virtual network interactive terminal.\n\n"
            + "Type:  'help' for help with commands\n       'quit' to quit\n\n";

    @Test
    void runsCommandsUntilQuit() {
        Cli.Result r = new Cli(daemon.socket()).stdin("net-list --name\nfoo\nnet-info nosuch\nquit\nnet-list\n").run();
        assertEquals(BANNER + "vnetctl # net-list --name\nBeta\ndefault\n\n"
                + "vnetctl # foo\n"
                + "vnetctl # net-info nosuch\n\n"
                + "vnetctl # quit\n\n", r.out());
        assertEquals("error: unknown command: 'foo'\n"
                + "error: failed to get network 'nosuch'\n"
                + "error: Network not found: no network with matching name 'nosuch'\n", r.err());
        assertEquals(0, r.status());
    }

    @Test
    void endOfInputEndsTheShellAndOneConnectionServesAllCommands() {
        Cli.Result r = new Cli(daemon.socket()).stdin("net-uuid default; net-uuid isolated\n# a comment\n").run("-q");
        assertEquals("vnetctl # net-uuid default; net-uuid isolated\n" + FakeVnetd.DEFAULT_UUID + "\n"
                + FakeVnetd.ISOLATED_UUID + "\nvnetctl # # a comment\nvnetctl # \n", r.out());
        assertEquals(List.of("network.lookup", "network.lookup"), daemon.methods());
    }

    @Test
    void quotingFollowsVirsh() throws UsageException {
        assertEquals(List.of(List.of("net-update", "default", "add", "ip-dhcp-host",
                        "<host mac='52:54:00:00:00:01' ip='192.168.122.9'/>")),
                LineTokenizer.split("net-update default add ip-dhcp-host \"<host mac='52:54:00:00:00:01' ip='192.168.122.9'/>\""));
        assertEquals(List.of(List.of("a", "b c", "d\\e"), List.of("f")), LineTokenizer.split("a 'b c' 'd\\e';f"));
        assertEquals(List.of(List.of("x y")), LineTokenizer.split("x\\ y"));
        assertThrows(UsageException.class, () -> LineTokenizer.split("a \"b"));
        assertThrows(UsageException.class, () -> LineTokenizer.split("a \\"));
    }
}
