package org.vnetd.daemon.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.net.IpAddresses;

class DnsResolvConfWatcherTest {
    @TempDir
    Path dir;

    @Test
    void rereadsTheFileWhenItChangesButNotOnEveryQuery() throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 10.0.0.1\n");
        AtomicLong clock = new AtomicLong();
        ResolvConfWatcher w = new ResolvConfWatcher(file, 1_000_000_000L, clock::get);
        assertEquals(List.of(sa("10.0.0.1")), w.get());
        // replaced the way resolvconf does it: a new file renamed over the old one
        Path tmp = dir.resolve("new");
        Files.writeString(tmp, "nameserver 10.0.0.2\nnameserver 10.0.0.3\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(sa("10.0.0.1")), w.get(), "checked again within the interval");
        clock.addAndGet(1_000_000_001L);
        assertEquals(List.of(sa("10.0.0.2"), sa("10.0.0.3")), w.get());
        Files.delete(file);
        clock.addAndGet(1_000_000_001L);
        assertEquals(List.of(), w.get());
    }

    private static InetSocketAddress sa(String ip) {
        return new InetSocketAddress(IpAddresses.parse(ip), 53);
    }
}
