package org.vnetd.cli;

import java.io.PrintWriter;

/** vnetctl: virsh-like client of the vnetd daemon. */
public final class Vnetctl {
    private Vnetctl() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print("""
                    Usage: vnetctl [-c SOCKET] [-r] [-q] [--json] COMMAND [ARGS...]

                    virsh-compatible network commands (net-list, net-start, ...) over vnetd's RPC.
                    """);
            return 0;
        }
        err.println("error: vnetctl commands are not implemented yet");
        return 1;
    }
}
