package org.vnetd.core.tftp;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a requested filename into a name relative to the TFTP root, by the rules of dnsmasq's
 * {@code tftp-root}: backslashes (Windows clients) are slashes; an absolute name that starts with the
 * root itself is taken as is, any other absolute name is relative to the root; a {@code ..}
 * component is refused (access violation). Empty and {@code .} components are dropped. What the
 * name points to (symlinks, file type, permissions) is the daemon's check, on the real filesystem.
 */
public final class TftpPath {
    /** The outcome: a relative name, or the TFTP error to answer. */
    public sealed interface Result {
    }

    /** @param relative slash-separated, non-empty, no {@code .}/{@code ..}/empty components */
    public record Relative(String relative) implements Result {
    }

    public record Refused(TftpErrorCode code, String reason) implements Result {
    }

    private TftpPath() {
    }

    /**
     * @param requested the RRQ's filename
     * @param root      the configured root as written in the XML (absolute)
     */
    public static Result relative(String requested, String root) {
        String name = requested.replace('\\', '/');
        String prefix = root.endsWith("/") ? root : root + "/";
        if (prefix.length() > 1 && name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return new Refused(TftpErrorCode.ACCESS_VIOLATION, "'..' is not allowed in a TFTP filename");
            }
            parts.add(part);
        }
        if (parts.isEmpty()) {
            return new Refused(TftpErrorCode.ACCESS_VIOLATION, "the TFTP root itself is not a file");
        }
        return new Relative(String.join("/", parts));
    }
}
