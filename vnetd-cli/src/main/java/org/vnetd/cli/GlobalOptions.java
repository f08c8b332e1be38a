package org.vnetd.cli;

import java.nio.file.Path;
import java.util.List;

import org.vnetd.cli.shell.UsageException;

/**
 * vnetctl's options before the command ({@code -c/--connect SOCKET -r/--readonly -q/--quiet --json -h -v}),
 * parsed like virsh's getopt loop: options stop at the first word that is not one.
 */
public record GlobalOptions(Path socket, boolean readonly, boolean quiet, boolean json, boolean help, boolean version,
                            List<String> rest) {

    public static final Path DEFAULT_SOCKET = Path.of("/run/vnetd/vnetd.sock");
    public static final Path READONLY_SOCKET = Path.of("/run/vnetd/vnetd-ro.sock");

    public GlobalOptions {
        rest = List.copyOf(rest);
    }

    public static GlobalOptions parse(List<String> args) throws UsageException {
        Path connect = null;
        boolean readonly = false;
        boolean quiet = false;
        boolean json = false;
        boolean help = false;
        boolean version = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                switch (name) {
                    case "--connect" -> {
                        if (value == null) {
                            if (i + 1 >= args.size()) {
                                throw new UsageException("option '-c'/'--connect' requires an argument");
                            }
                            value = args.get(++i);
                        }
                        connect = Path.of(value);
                    }
                    case "--readonly" -> readonly = true;
                    case "--quiet" -> quiet = true;
                    case "--json" -> json = true;
                    case "--help" -> help = true;
                    case "--version" -> version = true;
                    default -> throw new UsageException("unsupported option '" + a + "'. See --help.");
                }
                continue;
            }
            // bundled short options, getopt style: -rq, -cPATH
            for (int k = 1; k < a.length(); k++) {
                char c = a.charAt(k);
                switch (c) {
                    case 'r' -> readonly = true;
                    case 'q' -> quiet = true;
                    case 'h' -> help = true;
                    case 'v', 'V' -> version = true;
                    case 'c' -> {
                        String value = a.substring(k + 1);
                        if (value.isEmpty()) {
                            if (i + 1 >= args.size()) {
                                throw new UsageException("option '-c'/'--connect' requires an argument");
                            }
                            value = args.get(++i);
                        }
                        connect = Path.of(value);
                        k = a.length();
                    }
                    default -> throw new UsageException("unsupported option '-" + c + "'. See --help.");
                }
            }
        }
        Path socket = connect != null ? connect : readonly ? READONLY_SOCKET : DEFAULT_SOCKET;
        return new GlobalOptions(socket, readonly, quiet, json, help, version, args.subList(i, args.size()));
    }
}
