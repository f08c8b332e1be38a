package org.vnetd.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;

import org.vnetd.cli.Session;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.cli.rpc.VnetdApi;
import org.vnetd.cli.shell.ParsedCommand;
import org.vnetd.cli.shell.UsageException;
import org.vnetd.core.error.VnetException;

/** Reads the XML files net-define, net-create, net-update and net-port-create take, with libvirt's errors. */
final class XmlFiles {
    /** virsh's VSH_MAX_XML_FILE. */
    static final long MAX = 10L * 1024 * 1024;

    private XmlFiles() {
    }

    static Optional<String> read(Session s, String file) {
        Path p = Path.of(file);
        try {
            if (Files.size(p) > MAX) {
                s.error("File '" + file + "' is too large");
                return Optional.empty();
            }
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            s.error("Failed to open file '" + file + "': No such file or directory");
        } catch (AccessDeniedException e) {
            s.error("Failed to open file '" + file + "': Permission denied");
        } catch (IOException e) {
            s.error("Failed to read file '" + file + "': " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The body net-create and net-define share: read {@code <file>}, hand its XML to the daemon (which
     * validates it), then virsh's {@code Failed to VERB network from FILE} or {@code Network NAME DONE from FILE}.
     */
    static boolean submit(Session s, ParsedCommand cmd, BiFunction<VnetdApi, String, NetworkSummary> op,
            String verb, String done) throws UsageException {
        String file = cmd.required("file");
        Optional<String> xml = read(s, file);
        if (xml.isEmpty()) {
            return false;
        }
        NetworkSummary n;
        try {
            n = op.apply(s.api(), xml.get());
        } catch (org.vnetd.client.DaemonUnreachableException e) {
            throw e;
        } catch (VnetException e) {
            s.error("Failed to " + verb + " network from " + file);
            s.report(e);
            return false;
        }
        s.printExtra("Network " + n.name() + " " + done + " from " + file + "\n");
        return true;
    }
}
