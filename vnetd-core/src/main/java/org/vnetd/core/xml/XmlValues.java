package org.vnetd.core.xml;

import java.util.Locale;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.MacAddress;

/** Value readers shared by the parse-time checks: libvirt's UUID, MAC, tristate and number syntax, and the two error kinds. */
final class XmlValues {
    private XmlValues() {
    }

    /** virUUIDParse: 32 hex digits, dashes allowed between them, surrounding blanks ignored. */
    static String uuid(String text, String what) {
        StringBuilder hex = new StringBuilder(32);
        String t = text.strip();
        for (char c : t.toCharArray()) {
            if (c == '-') {
                continue;
            }
            if (Character.digit(c, 16) < 0 || hex.length() == 32) {
                throw invalid("malformed %s '%s'", what, text);
            }
            hex.append(Character.toLowerCase(c));
        }
        if (hex.length() != 32) {
            throw invalid("malformed %s '%s'", what, text);
        }
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    static MacAddress mac(String text, String fmt, String network) {
        try {
            return MacAddress.parse(text);
        } catch (VnetException | IllegalArgumentException e) {
            throw invalid(fmt, text, network);
        }
    }

    /** virXMLPropTristateBool: absent, "yes" or "no". */
    static String tristate(String v, String attr, String element) {
        if (v == null || v.equals("yes") || v.equals("no")) {
            return v;
        }
        throw invalid("Invalid value for attribute '%s' in element '%s': '%s'. Expected one of 'yes', 'no'",
                attr, element, v);
    }

    /** Decimal unsigned number as strtoul would take it (no sign, no junk), or null. */
    static Long parseUnsigned(String v) {
        if (v == null || v.isEmpty() || v.length() > 19) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(v);
    }

    /** Number in C notation (decimal, 0x hex, 0 octal), as strtoul with base 0 reads it. */
    static Long parseCNumber(String v) {
        try {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (s.startsWith("0x")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseLong(s.substring(1), 8);
            }
            return parseUnsigned(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String uint(String v, long max, String message) {
        Long n = parseUnsigned(v);
        if (n == null || n > max) {
            throw new VnetException(ErrorCode.XML_VALIDATION, message);
        }
        return Long.toString(n);
    }

    static boolean only(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    static boolean isAsciiAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    static VnetException parse(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_PARSE, fmt, args);
    }

    static VnetException invalid(String fmt, Object... args) {
        return VnetException.of(ErrorCode.XML_VALIDATION, fmt, args);
    }
}
