package org.vnetd.core.driver;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Network names become file names ({@code NAME.xml}, {@code NAME.json}), so they are checked before
 * anything is stored: no '/', not '.' or '..', no leading '.', no control characters, bounded length.
 */
public final class NetworkNames {
    public static final int MAX_LENGTH = 200;

    private NetworkNames() {
    }

    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw new VnetException(ErrorCode.XML_VALIDATION, "network name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "network name is %d characters long; the limit is %d",
                    name.length(), MAX_LENGTH);
        }
        if (name.startsWith(".")) {
            throw VnetException.of(ErrorCode.XML_VALIDATION, "network name '%s' must not start with '.'", name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c < 0x20 || c == 0x7f) {
                throw VnetException.of(ErrorCode.XML_VALIDATION, "network name '%s' contains the invalid character '%s'",
                        name.replaceAll("\\p{Cntrl}", "?"), c == '/' ? "/" : "\\x" + Integer.toHexString(c));
            }
        }
        return name;
    }
}
