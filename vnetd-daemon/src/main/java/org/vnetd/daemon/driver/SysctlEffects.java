package org.vnetd.daemon.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.core.link.Sysctl;
import org.vnetd.core.plan.Action;

/**
 * Writes a network's tunables in order. The record keeps the values found before, for diagnosis;
 * nothing is set back on undo (see {@link Action.Sysctls}).
 */
final class SysctlEffects {
    private final Sysctl sysctl;

    SysctlEffects(Sysctl sysctl) {
        this.sysctl = sysctl;
    }

    Map<String, String> set(Action.Sysctls action) {
        Map<String, String> old = new LinkedHashMap<>();
        for (Action.Sysctls.Setting s : action.settings()) {
            if (s.onlyWherePresent() && !Files.exists(directoryOf(s.key().segments()))) {
                continue; // e.g. disable_ipv6 on a kernel without IPv6
            }
            old.put(s.key().toString(), sysctl.set(s.key(), s.value()).oldValue());
        }
        return old;
    }

    private static Path directoryOf(List<String> segments) {
        return Path.of("/proc/sys", segments.subList(0, segments.size() - 1).toArray(String[]::new));
    }
}
