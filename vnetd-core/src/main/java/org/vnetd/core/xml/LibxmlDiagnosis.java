package org.vnetd.core.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Words a document's first well-formedness error as libvirt reports it: libxml2's message, then the line it
 * stopped on and a pointer under the place (libvirt's {@code catchXMLError}: {@code "FILE:LINE: MESSAGE\nLINE
 * TEXT\n----^"}), so that a client sees from vnetd what it sees from libvirt. Only the errors people make by
 * hand are known here (a mismatched or missing end tag, an unquoted or unterminated attribute value, a bad
 * entity reference, a duplicate attribute, text before or after the root element, an empty document), each
 * with libxml2's wording and the position its parser is at when it reports it; for anything else, or any
 * construct this scanner does not model (DOCTYPE, non-ASCII names, carriage returns), it answers empty and the
 * caller keeps its own parser's message. It diagnoses only: whether a document is well formed is the real
 * parser's decision.
 */
final class LibxmlDiagnosis {
    private static final Set<String> PREDEFINED = Set.of("lt", "gt", "amp", "quot", "apos");

    private final String text;
    private int pos;

    private LibxmlDiagnosis(String text) {
        this.text = text;
    }

    /** libxml2's first fatal error in {@code xml}, as libvirt words it for a document called {@code file}. */
    static Optional<String> describe(String xml, String file) {
        for (int i = 0; i < xml.length(); i++) {
            char c = xml.charAt(i);
            // libxml2 would stop at a character XML forbids before any error modelled here
            if (c < 0x20 && c != '\t' && c != '\n' || c >= 0xfffe || Character.isSurrogate(c)) {
                return Optional.empty();
            }
        }
        LibxmlDiagnosis d = new LibxmlDiagnosis(xml);
        try {
            d.document();
            return Optional.empty();
        } catch (Found f) {
            return Optional.of(d.report(file, f.message, f.at));
        } catch (Unmodelled u) {
            return Optional.empty();
        }
    }

    /** libxml2's error; {@code at} is where its cursor is when it reports it. */
    private static final class Found extends RuntimeException {
        final String message;
        final int at;

        Found(String message, int at) {
            super(message, null, false, false);
            this.message = message;
            this.at = at;
        }
    }

    /** Something this scanner does not model: the caller keeps the real parser's message. */
    private static final class Unmodelled extends RuntimeException {
        Unmodelled() {
            super(null, null, false, false);
        }
    }

    private void document() {
        if (text.isEmpty()) {
            throw new Found("Document is empty", 0);
        }
        misc();
        if (eof() || peek() != '<') {
            throw new Found("Start tag expected, '<' not found", pos);
        }
        element();
        misc();
        if (!eof()) {
            throw new Found("Extra content at the end of the document", pos);
        }
    }

    /** Blanks, comments and processing instructions (the XML declaration among them) around the root. */
    private void misc() {
        while (true) {
            blanks();
            if (startsWith("<!--")) {
                comment();
            } else if (startsWith("<?")) {
                processingInstruction();
            } else if (startsWith("<!")) {
                throw new Unmodelled(); // DOCTYPE: refused before this is asked
            } else {
                return;
            }
        }
    }

    private record Open(String name, int line) {
    }

    private void element() {
        Deque<Open> open = new ArrayDeque<>();
        startTag(open);
        while (!open.isEmpty()) {
            if (eof()) {
                Open o = open.peek();
                throw new Found("Premature end of data in tag " + o.name() + " line " + o.line(), pos);
            }
            char c = peek();
            if (c == '<') {
                if (startsWith("</")) {
                    endTag(open);
                } else if (startsWith("<!--")) {
                    comment();
                } else if (startsWith("<![CDATA[")) {
                    int end = text.indexOf("]]>", pos);
                    if (end < 0) {
                        throw new Unmodelled();
                    }
                    pos = end + 3;
                } else if (startsWith("<?")) {
                    processingInstruction();
                } else if (startsWith("<!")) {
                    throw new Unmodelled();
                } else {
                    startTag(open);
                }
            } else if (c == '&') {
                reference();
            } else {
                if (startsWith("]]>")) {
                    throw new Unmodelled();
                }
                pos++;
            }
        }
    }

    /** {@code <name attr='v' …>} or {@code …/>}; an element left open goes on {@code open}. */
    private void startTag(Deque<Open> open) {
        int line = lineAt(pos);
        pos++; // '<'
        String name = name();
        if (name == null) {
            throw new Unmodelled(); // libxml2: "StartTag: invalid element name", not modelled
        }
        Set<String> seen = new HashSet<>();
        while (true) {
            int beforeBlanks = pos;
            blanks();
            if (eof()) {
                throw new Unmodelled();
            }
            char c = peek();
            if (c == '>') {
                pos++;
                open.push(new Open(name, line));
                return;
            }
            if (startsWith("/>")) {
                pos += 2;
                return;
            }
            if (c == '/') {
                throw new Unmodelled();
            }
            if (pos == beforeBlanks) {
                throw new Unmodelled(); // libxml2: "attributes construct error", not modelled
            }
            String attr = name();
            if (attr == null) {
                throw new Found("error parsing attribute name", pos);
            }
            if (eof()) {
                throw new Unmodelled();
            }
            if (peek() != '=') {
                if (isBlank(peek())) {
                    throw new Unmodelled();
                }
                throw new Found("Specification mandates value for attribute " + attr, pos);
            }
            pos++;
            blanks();
            if (eof()) {
                throw new Unmodelled();
            }
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw new Found("AttValue: \" or ' expected", pos);
            }
            pos++;
            while (true) {
                if (eof()) {
                    throw new Unmodelled();
                }
                char v = peek();
                if (v == quote) {
                    pos++;
                    break;
                }
                if (v == '<') {
                    throw new Found("Unescaped '<' not allowed in attributes values", pos);
                }
                if (v == '&') {
                    attributeReference();
                } else {
                    pos++;
                }
            }
            if (!seen.add(attr)) {
                throw new Found("Attribute " + attr + " redefined", pos);
            }
        }
    }

    private void endTag(Deque<Open> open) {
        pos += 2; // "</"
        String name = name();
        if (name == null) {
            throw new Unmodelled();
        }
        blanks();
        if (eof() || peek() != '>') {
            throw new Unmodelled();
        }
        pos++;
        Open o = open.pop();
        if (!o.name().equals(name)) {
            throw new Found("Opening and ending tag mismatch: " + o.name() + " line " + o.line() + " and " + name, pos);
        }
    }

    /** {@code &name;} or {@code &#…;} in text. */
    private void reference() {
        pos++; // '&'
        if (!eof() && peek() == '#') {
            characterReference();
            return;
        }
        String name = name();
        if (name == null) {
            throw new Found("xmlParseEntityRef: no name", pos);
        }
        if (eof() || peek() != ';') {
            throw new Found("EntityRef: expecting ';'", pos);
        }
        pos++;
        if (!PREDEFINED.contains(name)) {
            throw new Found("Entity '" + name + "' not defined", pos);
        }
    }

    /** In an attribute value only the predefined and character references are modelled. */
    private void attributeReference() {
        pos++;
        if (!eof() && peek() == '#') {
            characterReference();
            return;
        }
        String name = name();
        if (name == null || eof() || peek() != ';' || !PREDEFINED.contains(name)) {
            throw new Unmodelled();
        }
        pos++;
    }

    private void characterReference() {
        pos++; // '#'
        boolean hex = !eof() && peek() == 'x';
        if (hex) {
            pos++;
        }
        int digits = 0;
        while (!eof() && (Character.isDigit(peek()) || hex && "abcdefABCDEF".indexOf(peek()) >= 0)) {
            pos++;
            digits++;
        }
        if (digits == 0 || eof() || peek() != ';') {
            throw new Unmodelled();
        }
        pos++;
    }

    private void comment() {
        int end = text.indexOf("-->", pos + 4);
        if (end < 0) {
            throw new Unmodelled();
        }
        pos = end + 3;
    }

    private void processingInstruction() {
        int end = text.indexOf("?>", pos + 2);
        if (end < 0) {
            throw new Unmodelled();
        }
        pos = end + 2;
    }

    /** An ASCII XML name at the cursor (consumed), or null with the cursor unmoved; non-ASCII is not modelled. */
    private String name() {
        int start = pos;
        if (eof()) {
            return null;
        }
        char c = peek();
        if (c >= 0x80) {
            throw new Unmodelled();
        }
        if (!(Character.isLetter(c) || c == '_' || c == ':')) {
            return null;
        }
        pos++;
        while (!eof()) {
            c = peek();
            if (c >= 0x80) {
                throw new Unmodelled();
            }
            if (Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '.' || c == '-') {
                pos++;
            } else {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private void blanks() {
        while (!eof() && isBlank(peek())) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n';
    }

    private boolean eof() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private boolean startsWith(String s) {
        return text.startsWith(s, pos);
    }

    private int lineAt(int at) {
        int line = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /**
     * catchXMLError's text: the line holding the cursor (the one before, when the cursor is on a line break),
     * and under it a '-' per byte before the cursor (a tab stays a tab) and a '^'. An empty line prints as
     * "(null)", as glibc prints the NULL libvirt passes for it.
     */
    private String report(String file, String message, int at) {
        int cur = Math.min(at, text.length());
        int start = cur;
        while (start > 0 && charAt(start) == '\n') {
            start--;
        }
        while (start > 0 && charAt(start) != '\n') {
            start--;
        }
        if (charAt(start) == '\n') {
            start++;
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n') {
            end++;
        }
        String context = text.substring(start, end);
        StringBuilder pointer = new StringBuilder();
        if (cur > start) {
            byte[] before = text.substring(start, Math.min(cur, end)).getBytes(StandardCharsets.UTF_8);
            int col = text.substring(start, cur).getBytes(StandardCharsets.UTF_8).length;
            for (int n = 0; n < col && n < before.length; n++) {
                pointer.append(before[n] == '\t' ? '\t' : '-');
            }
        }
        pointer.append('^');
        return file + ":" + lineAt(cur) + ": " + message + "\n" + (context.isEmpty() ? "(null)" : context) + "\n" + pointer;
    }

    /** The character at {@code i}, with the end of the text read as libxml2's terminating NUL. */
    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }
}
