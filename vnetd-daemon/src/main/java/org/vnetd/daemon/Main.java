package org.vnetd.daemon;

import java.io.PrintStream;

/** Entry point of the vnetd process. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    static int run(PrintStream out, PrintStream err, String... args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                out.print(usage());
                return 0;
            }
        }
        err.println("vnetd: the daemon is not implemented yet (see --help)");
        return 2;
    }

    static String usage() {
        return """
                Usage: vnetd [OPTIONS]

                The vnetd virtual network daemon (libvirt network XML, one process, no dnsmasq).

                Options:
                  --config-dir DIR   network definitions (default /etc/vnetd)
                  --state-dir DIR    leases and persistent state (default /var/lib/vnetd)
                  --run-dir DIR      sockets and status files (default /run/vnetd)
                  -h, --help         print this help
                """;
    }
}
