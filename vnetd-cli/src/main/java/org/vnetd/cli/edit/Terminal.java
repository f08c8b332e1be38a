package org.vnetd.cli.edit;

import java.io.PrintWriter;

/**
 * The user's terminal, as far as net-edit needs it: whether stdin is one (virsh only asks "Try again?"
 * on a TTY) and the one-key answer to that question.
 */
public interface Terminal {
    boolean isInteractive();

    /**
     * Prints {@code "\r<message> Try again? [y,n,f,?]:"} until the user answers y, n or f, and returns it.
     * Only called when {@link #isInteractive()}.
     */
    char askReedit(String message, PrintWriter out);

    /** Not a terminal: never asks. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public char askReedit(String message, PrintWriter out) {
            return 'n';
        }
    };
}
