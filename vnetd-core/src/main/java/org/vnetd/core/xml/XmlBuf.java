package org.vnetd.core.xml;

/**
 * libvirt's virBuffer as the formatter uses it: two-space auto-indent at line starts, single-quoted
 * attributes, and virBufferEscapeString's escaping of {@code < > & ' "}.
 */
final class XmlBuf {
    private final StringBuilder sb = new StringBuilder(1024);
    private int indent;
    private boolean lineStart = true;

    /**
     * Appends text; like virBuffer, the indent is written only when a call starts at the beginning
     * of a line, so newlines inside one value (a description) are not re-indented.
     */
    XmlBuf add(String text) {
        if (text.isEmpty()) {
            return this;
        }
        if (lineStart) {
            sb.repeat(' ', indent);
        }
        sb.append(text);
        lineStart = text.charAt(text.length() - 1) == '\n';
        return this;
    }

    /** Adds {@code  name='value'} when value is not null. */
    XmlBuf attr(String name, String value) {
        if (value != null) {
            add(" ").add(name).add("='").add(escape(value)).add("'");
        }
        return this;
    }

    XmlBuf indent(int delta) {
        indent += delta;
        return this;
    }

    /**
     * Whether a number is written: libvirt formats most numbers only when they are above zero
     * ({@code if (def->x > 0)}), so an absent, empty or all-zero one is left out.
     */
    static boolean positive(String number) {
        if (number == null || number.isEmpty()) {
            return false;
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c != '0') {
                return c >= '1' && c <= '9' || c == 'x' || c == 'X' || Character.isDigit(c);
            }
        }
        return false;
    }

    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
