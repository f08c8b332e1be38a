package org.vnetd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class NetnsExecutorTest {
    @Test
    void threadSeesOnlyTheNamespacesLinks() throws Exception {
        NetnsSupport.require();
        try (TestNetns ns = TestNetns.create("harness")) {
            ns.execOk("ip", "link", "add", "vnt-br0", "type", "bridge");
            try (NetnsExecutor in = NetnsExecutor.enter(ns)) {
                // /proc/thread-self/net is the calling thread's namespace (/proc/net is the process leader's)
                List<String> names = in.call(() -> Files.readAllLines(Path.of("/proc/thread-self/net/dev")).stream()
                        .skip(2).map(l -> l.substring(0, l.indexOf(':')).trim()).sorted().toList());
                assertEquals(List.of("lo", "vnt-br0"), names);
                // processes spawned from the namespace thread run in the namespace too
                String links = in.call(() -> Exec.run("ip", "-o", "link", "show").orThrow().stdout());
                assertTrue(links.contains("vnt-br0"), links);
            }
            // the rest of the JVM stays in the root namespace
            assertTrue(Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .noneMatch(i -> i.getName().equals("vnt-br0")));
        }
    }
}
