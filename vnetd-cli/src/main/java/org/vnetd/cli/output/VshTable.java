package org.vnetd.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * virsh's table (tools/vsh-table.c as shipped in libvirt 9): every cell is printed as {@code " " + text},
 * cells other than the last are padded to the column's width plus two spaces, the dash line is the
 * column width plus three per column, and without the header (--quiet) widths come from the rows only.
 * Control characters are shown as {@code \xNN} so they cannot break the layout.
 */
public final class VshTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public VshTable(String... header) {
        this.header = List.of(header);
    }

    public VshTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("Incorrect number of cells in a table row");
        }
        rows.add(Arrays.stream(cells).map(VshTable::safe).toList());
        return this;
    }

    public String render(boolean withHeader) {
        List<String> head = header.stream().map(VshTable::safe).toList();
        int[] width = new int[head.size()];
        if (withHeader) {
            widen(width, head);
        }
        rows.forEach(r -> widen(width, r));
        StringBuilder sb = new StringBuilder();
        if (withHeader) {
            line(sb, head, width);
            for (int w : width) {
                sb.append("-".repeat(w + 3));
            }
            sb.append('\n');
        }
        rows.forEach(r -> line(sb, r, width));
        return sb.toString();
    }

    private static void widen(int[] width, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            width[i] = Math.max(width[i], displayWidth(cells.get(i)));
        }
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(' ').append(c);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(width[i] - displayWidth(c) + 2));
            }
        }
        sb.append('\n');
    }

    static int displayWidth(String s) {
        return s.codePointCount(0, s.length());
    }

    /** vshTableSafeEncode: control characters and a literal {@code \x} become {@code \xNN}. */
    static String safe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escapedX = c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'x';
            if (escapedX || c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
