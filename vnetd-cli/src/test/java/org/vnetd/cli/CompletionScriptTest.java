package org.vnetd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.vnetd.cli.command.Command;
import org.vnetd.cli.command.CommandRegistry;
import org.vnetd.cli.shell.OptionDef;
import org.vnetd.testing.Exec;

/** The bash completion script lists exactly the commands and options vnetctl has, and completes from the daemon. */
class CompletionScriptTest {
    static final Path SCRIPT = Path.of("src/dist/bash-completion/vnetctl");

    @Test
    void listsEveryCommandAndExactlyItsOptions() throws IOException {
        String text = Files.readString(SCRIPT);
        Matcher cmds = Pattern.compile("_vnetctl_commands=\"([^\"]*)\"").matcher(text);
        cmds.find();
        List<String> registry = CommandRegistry.standard().all().stream().map(c -> c.def().name()).toList();
        assertEquals(registry.stream().sorted().toList(), Arrays.stream(cmds.group(1).split(" ")).sorted().toList());
        Map<String, String> scripted = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^  \\[([a-z-]+)\\]=\"([^\"]*)\"$", Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            scripted.put(m.group(1), m.group(2));
        }
        for (Command c : CommandRegistry.standard().all()) {
            String expected = String.join(" ", c.def().options().stream().map(OptionDef::name).map(n -> "--" + n).toList());
            assertEquals(expected, scripted.get(c.def().name()), "options of " + c.def().name());
        }
    }

    @Test
    void completesCommandsOptionsAndNetworkNames(@TempDir Path dir) throws IOException {
        Path stub = dir.resolve("vnetctl");
        // stands in for the installed vnetctl: answers the two listing calls the script makes
        Files.writeString(stub, """
                #!/bin/sh
                case "$*" in
                  *"net-list --all --name") printf 'default\\nlab\\n' ;;
                  *"net-port-list lab --uuid") printf 'a1b3c5d7-0000-4000-8000-000000000001\\n' ;;
                esac
                """);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
        assertEquals("net-define net-desc net-destroy net-dhcp-leases net-dumpxml", complete(dir, "vnetctl net-d"));
        assertEquals("--all --autostart", complete(dir, "vnetctl -q net-list --a"));
        assertEquals("default lab", complete(dir, "vnetctl net-start "));
        assertEquals("lab", complete(dir, "vnetctl -c /run/x.sock net-info l"));
        assertEquals("a1b3c5d7-0000-4000-8000-000000000001", complete(dir, "vnetctl net-port-delete lab "));
        assertEquals("ip-dhcp-host ip-dhcp-range", complete(dir, "vnetctl net-update default add ip-dhcp"));
        assertEquals("lifecycle", complete(dir, "vnetctl net-event --event l"));
    }

    /** Runs the completion function for a command line whose last word is being completed. */
    static String complete(Path bin, String line) {
        String words = line.endsWith(" ") ? line + "''" : line;
        int cword = words.trim().split(" +").length - 1;
        String script = "PATH=" + bin + ":$PATH; source " + SCRIPT.toAbsolutePath() + "; COMP_WORDS=(" + words
                + "); COMP_CWORD=" + cword + "; _vnetctl; echo \"${COMPREPLY[*]}\"";
        return Exec.run("bash", "-c", script).orThrow().stdout().trim();
    }
}
