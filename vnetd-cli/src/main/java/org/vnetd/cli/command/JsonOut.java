package org.vnetd.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.vnetd.cli.Session;

/** --json output: one JSON document and a newline, for scripts (a vnetd extra; virsh has none). */
final class JsonOut {
    private JsonOut() {
    }

    static void print(Session s, Object value) {
        try {
            s.print(s.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
