package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;

/** Bad input and unreachable daemons, as data: arguments, expected stderr, expected exit status. */
class NegativeCasesTest {
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

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of("foo", "error: unknown command: 'foo'\n"),
                Arguments.of("net-list --bogus", "error: command 'net-list' doesn't support option --bogus\n"),
                Arguments.of("net-info", "error: command 'net-info' requires <network> option\n"),
                Arguments.of("net-update default add", "error: command 'net-update' requires <section> option\n"),
                Arguments.of("net-port-delete default", "error: command 'net-port-delete' requires <port> option\n"),
                Arguments.of("net-info default extra", "error: unexpected data 'extra'\n"),
                Arguments.of("net-dumpxml default --xpath", "error: expected syntax: --xpath <string>\n"),
                Arguments.of("net-event --timeout", "error: expected syntax: --timeout <number>\n"),
                Arguments.of("net-list --all --all", "error: option --all already seen\n"),
                Arguments.of("net-list --all=yes", "error: invalid '=' after option --all\n"),
                Arguments.of("net-info ''", "error: Failed to get option 'network': Option argument is empty\n"),
                Arguments.of("net-info --network=", "error: Failed to get option 'network': Option argument is empty\n"),
                Arguments.of("net-update default add ip-dhcp-host <x/> --parent-index x",
                        "error: Numeric value 'x' for <parent-index> option is malformed or out of range\n"),
                Arguments.of("net-update default add ip-dhcp-host <x/> --current --config",
                        "error: Options --current and --config are mutually exclusive\n"),
                Arguments.of("net-list --name --table",
                        "error: Only one argument from --table, --name and --uuid may be specified.\n"),
                Arguments.of("net-port-list default --uuid --table",
                        "error: Only one argument from --table and --uuid may be specified.\n"),
                Arguments.of("net-event --event bogus", "error: unknown event type bogus\n"),
                Arguments.of("net-event --event lifecycle --timeout -1",
                        "error: Numeric value '-1' for <timeout> option is malformed or out of range\n"),
                Arguments.of("net-dumpxml default --xpath count(//ip)",
                        "error: internal error: Incorrect xpath 'count(//ip)'\n"),
                Arguments.of("help bogus", "error: command or command group 'bogus' doesn't exist\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void rejectedLikeVirsh(String line, String stderr) {
        List<String> words = new ArrayList<>();
        for (String w : line.split(" ")) {
            words.add(w.equals("''") ? "" : w);
        }
        Cli.Result r = new Cli(daemon.socket()).run(words.toArray(String[]::new));
        assertEquals(stderr, r.err());
        assertEquals(1, r.status());
    }

    static Stream<Arguments> badGlobalOptions() {
        return Stream.of(
                Arguments.of(new String[] {"-c"}, "error: option '-c'/'--connect' requires an argument\n"),
                Arguments.of(new String[] {"--connect"}, "error: option '-c'/'--connect' requires an argument\n"),
                Arguments.of(new String[] {"--bogus", "net-list"}, "error: unsupported option '--bogus'. See --help.\n"),
                Arguments.of(new String[] {"-z", "net-list"}, "error: unsupported option '-z'. See --help.\n"));
    }

    @ParameterizedTest
    @MethodSource("badGlobalOptions")
    void badGlobalOptionsAreRefused(String[] args, String stderr) {
        Cli.Result r = new Cli(daemon.socket()).raw(args);
        assertEquals(stderr, r.err());
        assertEquals("", r.out());
        assertEquals(1, r.status());
    }

    @Test
    void daemonNotRunningNamesTheSocket() {
        Path missing = dir.resolve("absent.sock");
        Cli.Result r = new Cli(missing).run("net-list", "--all");
        assertEquals("error: failed to connect to the vnetd daemon\n"
                + "error: Failed to connect socket to '" + missing + "': No such file or directory\n"
                + "error: is vnetd running? Start it with 'systemctl start vnetd', or give its socket with"
                + " -c/--connect\n", r.err());
        assertEquals("\n", r.out());
        assertEquals(1, r.status());
    }

    @Test
    void aStaleSocketFileIsConnectionRefused() throws IOException {
        Path file = dir.resolve("stale.sock");
        Files.writeString(file, "not a socket");
        Cli.Result r = new Cli(file).run("net-info", "default");
        assertEquals("error: failed to connect to the vnetd daemon\n"
                + "error: Failed to connect socket to '" + file + "': Connection refused\n"
                + "error: is vnetd running? Start it with 'systemctl start vnetd', or give its socket with"
                + " -c/--connect\n", r.err());
        assertEquals(1, r.status());
    }

    @Test
    void helpNeedsNoDaemon() {
        Cli.Result r = new Cli(dir.resolve("absent.sock")).run("help", "net-info");
        assertEquals(0, r.status());
        assertEquals("", r.err());
    }

    /**
     * Permission denied needs a user the socket's mode keeps out; root passes every mode check, so the
     * command runs as {@code nobody} through setpriv with the class path copied where nobody can read it.
     */
    @Test
    void permissionDeniedOnTheSocketSaysWhatToDo() throws Exception {
        NetnsSupport.require("setpriv");
        Path open = Files.createTempDirectory("vnetctl-perm");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            if (entry.contains("test-classes") || entry.contains("junit") || entry.contains("opentest4j")
                    || entry.contains("apiguardian") || entry.contains("surefire")) {
                continue;
            }
            Path target = open.resolve("cp" + i++);
            Exec.run("cp", "-r", entry, target.toString()).orThrow();
            cp.add(target.toString());
        }
        Exec.run("chmod", "-R", "a+rX", open.toString()).orThrow();
        Path sock = daemon.socket();
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            Exec.Result r = Exec.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", String.join(":", cp),
                    "org.vnetd.cli.Vnetctl", "-c", sock.toString(), "net-list");
            assertEquals("error: failed to connect to the vnetd daemon\n"
                    + "error: Failed to connect socket to '" + sock + "': Permission denied\n"
                    + "error: the socket " + sock + " needs more privileges: run as root, or use -r/--readonly"
                    + " (socket /run/vnetd/vnetd-ro.sock) for read-only commands\n", r.stderr());
            assertEquals(1, r.exitCode());
        } finally {
            Exec.run("rm", "-rf", open.toString());
        }
    }
}
