package org.vnetd.cli.command;

import org.vnetd.cli.Session;
import org.vnetd.client.Json;

/** --json output: one JSON document and a newline, for scripts (a vnetd extra; virsh has none). */
final class JsonOut {
    private JsonOut() {
    }

    static void print(Session s, Object value) {
        s.print(Json.pretty(value) + "\n");
    }
}
