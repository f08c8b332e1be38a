package org.vnetd.daemon.dhcp;

import java.util.ArrayList;
import java.util.List;

/** The command line that runs a main class of the test classpath in a fresh JVM (to be killed with -9). */
final class ChildJvm {
    private ChildJvm() {
    }

    static List<String> command(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> c = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        c.addAll(List.of(args));
        return c;
    }
}
