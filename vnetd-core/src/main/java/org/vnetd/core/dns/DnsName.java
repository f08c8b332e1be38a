package org.vnetd.core.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * A domain name. The text keeps the case it was given (clients that randomise case, RFC draft
 * "0x20", must get their own spelling back) while equality ignores ASCII case as DNS does.
 * The root is the empty name; a trailing dot is accepted and dropped.
 */
public final class DnsName {
    public static final DnsName ROOT = new DnsName("");
    private static final int MAX_WIRE_LENGTH = 255;

    private final String text;
    private final String key;

    private DnsName(String text) {
        this.text = text;
        this.key = text.toLowerCase(Locale.ROOT);
    }

    /** Parses a presentation name ({@code www.example.com} or {@code www.example.com.}); refuses empty labels and oversize. */
    public static DnsName of(String name) {
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (s.isEmpty()) {
            if (name.length() > 1) {
                throw bad(name, "empty label");
            }
            return ROOT;
        }
        int wire = 1;
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw bad(name, "empty label");
            }
            if (label.length() > 63) {
                throw bad(name, "label longer than 63 characters");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c < 0x21 || c > 0x7e) {
                    throw bad(name, "character outside printable ASCII");
                }
            }
            wire += label.length() + 1;
        }
        if (wire > MAX_WIRE_LENGTH) {
            throw bad(name, "longer than 255 bytes on the wire");
        }
        return new DnsName(s);
    }

    /** True if {@code label} is a valid host name label (RFC 952/1123: letters, digits, inner hyphens). */
    public static boolean isHostLabel(String label) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static VnetException bad(String name, String why) {
        return VnetException.of(ErrorCode.INVALID_ARGUMENT, "invalid DNS name '%s': %s", name, why);
    }

    public boolean isRoot() {
        return text.isEmpty();
    }

    public List<String> labels() {
        return isRoot() ? List.of() : List.of(text.split("\\."));
    }

    public int labelCount() {
        return isRoot() ? 0 : (int) text.chars().filter(c -> c == '.').count() + 1;
    }

    /** True if this name equals {@code zone} or lies below it. */
    public boolean isUnder(DnsName zone) {
        if (zone.isRoot()) {
            return true;
        }
        return key.equals(zone.key) || key.endsWith("." + zone.key);
    }

    /** {@code this} with {@code suffix} appended ({@code host} + {@code example.com}). */
    public DnsName append(DnsName suffix) {
        if (suffix.isRoot()) {
            return this;
        }
        return isRoot() ? suffix : of(text + "." + suffix.text);
    }

    /** The name without its first label; the root stays the root. */
    public DnsName parent() {
        int dot = text.indexOf('.');
        return dot < 0 ? ROOT : new DnsName(text.substring(dot + 1));
    }

    public String firstLabel() {
        int dot = text.indexOf('.');
        return dot < 0 ? text : text.substring(0, dot);
    }

    /** Uncompressed wire form (length-prefixed labels, zero byte). */
    public byte[] toWire() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 2);
        for (String label : labels()) {
            byte[] b = label.getBytes(StandardCharsets.US_ASCII);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        out.write(0);
        return out.toByteArray();
    }

    public int wireLength() {
        return isRoot() ? 1 : text.length() + 2;
    }

    /** The name as given, without the trailing dot. */
    public String text() {
        return text;
    }

    /** The lower-case form used for comparison. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsName n && n.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return text + ".";
    }
}
