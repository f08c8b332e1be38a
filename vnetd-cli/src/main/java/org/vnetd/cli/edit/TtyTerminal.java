package org.vnetd.cli.edit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The real terminal: stdin/stdout are a TTY per {@link java.io.Console#isTerminal()}; the Try-again question
 * reads one key with the terminal out of canonical mode ({@code stty -icanon -echo}, restored after),
 * as virsh's vshAskReedit does with a raw TTY.
 */
public final class TtyTerminal implements Terminal {
    private final InputStream in;

    public TtyTerminal(InputStream in) {
        this.in = in;
    }

    @Override
    public boolean isInteractive() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public char askReedit(String message, PrintWriter out) {
        String saved = stty("-g").trim();
        // without a saved state to restore, the terminal is left alone and the answer needs Enter
        boolean raw = !saved.isEmpty();
        if (raw) {
            stty("-icanon", "-echo", "min", "1");
        }
        try {
            while (true) {
                out.print("\r" + message + " Try again? [y,n,f,?]:");
                out.flush();
                int c = in.read();
                if (c < 0) {
                    return 'n';
                }
                char answer = Character.toLowerCase((char) c);
                if (answer == '?') {
                    out.print("\r\n");
                    for (String line : List.of("y - yes, start editor again",
                            "n - no, give up (the edited file is kept and its name printed)",
                            "f - force, try to redefine again", "? - print this help")) {
                        out.print(line + "\r\n");
                    }
                    continue;
                }
                if (answer == 'y' || answer == 'n' || answer == 'f') {
                    out.print("\r\n");
                    out.flush();
                    return answer;
                }
            }
        } catch (IOException e) {
            return 'n';
        } finally {
            if (raw) {
                stty(saved);
            }
        }
    }

    /** Runs stty on the controlling terminal; an empty string when that is impossible (no stty, no TTY). */
    private static String stty(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("stty");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
