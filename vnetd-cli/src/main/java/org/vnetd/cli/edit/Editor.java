package org.vnetd.cli.edit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.vnetd.cli.Session;

/**
 * Starts the user's editor on a file and waits: $VISUAL, else $EDITOR, else vi. An editor value with
 * arguments or shell syntax runs through {@code sh -c} (the file name is checked to need no quoting),
 * a plain one is executed directly, as virsh's vshEditFile does.
 */
public final class Editor {
    private static final String ACCEPTED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:@/+";

    private Editor() {
    }

    /** Returns null on success, else virsh's error text. */
    public static String edit(Session s, Path file) {
        String editor = s.env("VISUAL");
        if (editor == null || editor.isEmpty()) {
            editor = s.env("EDITOR");
        }
        if (editor == null || editor.isEmpty()) {
            editor = "vi";
        }
        List<String> argv;
        if (plain(editor)) {
            argv = List.of(editor, file.toString());
        } else {
            if (!plain(file.toString())) {
                return file + ": temporary filename contains shell meta or other unacceptable characters"
                        + " (is $TMPDIR wrong?)";
            }
            argv = List.of("sh", "-c", editor + " " + file);
        }
        s.flush();
        try {
            Process p = new ProcessBuilder(argv).inheritIO().start();
            int status = p.waitFor();
            if (status != 0) {
                return "Child process (" + String.join(" ", argv) + ") unexpected exit status " + status;
            }
            return null;
        } catch (IOException e) {
            return "Cannot run editor '" + editor + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the editor";
        }
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (ACCEPTED.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
