package org.vnetd.cli.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

import org.vnetd.cli.Session;

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
}
