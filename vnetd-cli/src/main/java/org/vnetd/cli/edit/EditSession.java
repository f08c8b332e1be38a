package org.vnetd.cli.edit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.vnetd.cli.Session;

/** Edits a piece of text in the user's editor through a temp file (net-desc --edit, net-metadata --edit). */
public final class EditSession {
    private EditSession() {
    }

    /** The edited text, or empty after reporting why editing failed. */
    public static Optional<String> editText(Session s, String text) {
        Path tmp;
        try {
            tmp = TempXmlFile.create(s.tmpDir(), text);
        } catch (IOException e) {
            s.error("failed to create temporary file in " + s.tmpDir() + ": " + e.getMessage());
            return Optional.empty();
        }
        try {
            String failure = Editor.edit(s, tmp);
            if (failure != null) {
                s.error(failure);
                return Optional.empty();
            }
            return Optional.of(Files.readString(tmp, StandardCharsets.UTF_8));
        } catch (IOException e) {
            s.error(tmp + ": failed to read temporary file: " + e.getMessage());
            return Optional.empty();
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover 0600 file in $TMPDIR is harmless; the edit itself already succeeded or was reported
            }
        }
    }
}
