package org.vnetd.core.link;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/** Checks interface names the way the kernel will (dev_valid_name), so a bad name fails early and clearly. */
public final class LinkNames {
    /** IFNAMSIZ - 1: the kernel keeps the name in 16 bytes including the terminating NUL. */
    public static final int MAX_LENGTH = 15;

    private LinkNames() {
    }

    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new VnetException(ErrorCode.INVALID_ARGUMENT, "interface name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                    "interface name '%s' is %d characters long; Linux allows at most %d", name, name.length(), MAX_LENGTH);
        }
        if (name.equals(".") || name.equals("..")) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "interface name '%s' is not allowed", name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
                throw VnetException.of(ErrorCode.INVALID_ARGUMENT,
                        "interface name '%s' contains the invalid character '%s'", name, c < 0x21 ? "\\x" + Integer.toHexString(c) : String.valueOf(c));
            }
        }
        return name;
    }
}
