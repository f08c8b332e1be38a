package org.vnetd.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code ../shared/conformance}: tests read libvirt's fixtures from there, never from a copy. */
public final class Conformance {
    private Conformance() {
    }

    public static Path shared() {
        String env = System.getenv("VNETD_SHARED");
        if (env != null && Files.isDirectory(Path.of(env))) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared").normalize();
            if (Files.isDirectory(candidate.resolve("conformance"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/conformance not found (set VNETD_SHARED)");
    }

    public static Path libvirt() {
        return shared().resolve("conformance/libvirt");
    }

    /** A directory under libvirt's tests/, e.g. {@code networkxmlconfdata}. */
    public static Path libvirtTests(String dir) {
        return libvirt().resolve("tests").resolve(dir);
    }
}
