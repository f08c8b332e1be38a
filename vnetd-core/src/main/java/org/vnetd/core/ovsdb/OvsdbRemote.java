package org.vnetd.core.ovsdb;

import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Where an OVSDB database listens, as {@code ovn-nbctl --db} takes it: {@code tcp:HOST:PORT} or
 * {@code unix:PATH}. The definition's checks (OvnChecks) have refused anything else before a remote
 * is parsed here.
 */
public sealed interface OvsdbRemote {

    record Tcp(String host, int port) implements OvsdbRemote {
        @Override
        public String toString() {
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(String path) implements OvsdbRemote {
        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** The comma-separated remotes of a (possibly clustered) database, in the order written. */
    static List<OvsdbRemote> parseList(String remotes) {
        List<OvsdbRemote> out = new ArrayList<>();
        for (String r : remotes.split(",")) {
            out.add(parse(r));
        }
        return out;
    }

    static OvsdbRemote parse(String remote) {
        if (remote.startsWith("unix:") && remote.length() > 5) {
            return new Unix(remote.substring(5));
        }
        if (remote.startsWith("tcp:")) {
            String hostPort = remote.substring(4);
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                String host = hostPort.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    int port = Integer.parseInt(hostPort.substring(colon + 1));
                    if (port > 0 && port < 65536) {
                        return new Tcp(host, port);
                    }
                } catch (NumberFormatException e) {
                    // reported below with the remote
                }
            }
        }
        throw new VnetException(ErrorCode.INVALID_ARGUMENT, "not an OVSDB remote (tcp:HOST:PORT or unix:PATH): '" + remote + "'");
    }
}
