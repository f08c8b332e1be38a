package org.vnetd.daemon.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.ResolvConf;

/**
 * The host's resolvers from resolv.conf, re-read when the file changes (NetworkManager and
 * systemd-resolved rewrite it; dnsmasq polls its mtime the same way). The file is looked at no
 * more than once per {@code checkIntervalNanos}, so a busy forwarder does not stat it per query.
 */
public final class ResolvConfWatcher implements Supplier<List<InetSocketAddress>> {
    private static final Logger LOG = LoggerFactory.getLogger(ResolvConfWatcher.class);
    public static final Path DEFAULT_PATH = Path.of("/etc/resolv.conf");

    private record Stamp(Object fileKey, long modified, long size) {
    }

    private final Path path;
    private final long checkIntervalNanos;
    private final LongSupplier nanoClock;
    private long lastCheck;
    private boolean checkedOnce;
    private boolean missing;
    private Stamp stamp;
    private List<InetSocketAddress> servers = List.of();

    public ResolvConfWatcher(Path path, long checkIntervalNanos, LongSupplier nanoClock) {
        this.path = path;
        this.checkIntervalNanos = checkIntervalNanos;
        this.nanoClock = nanoClock;
    }

    public static ResolvConfWatcher of(Path path) {
        return new ResolvConfWatcher(path, 1_000_000_000L, System::nanoTime);
    }

    @Override
    public synchronized List<InetSocketAddress> get() {
        long now = nanoClock.getAsLong();
        if (checkedOnce && now - lastCheck < checkIntervalNanos) {
            return servers;
        }
        checkedOnce = true;
        lastCheck = now;
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            Stamp s = new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
            if (!Objects.equals(s, stamp)) {
                servers = ResolvConf.parse(Files.readString(path, StandardCharsets.UTF_8));
                stamp = s;
                missing = false;
                LOG.info("{}: upstream resolvers {}", path, servers);
            }
        } catch (NoSuchFileException e) {
            if (!missing) {
                LOG.warn("{} does not exist: no upstream resolvers until it does", path);
                missing = true;
            }
            stamp = null;
            servers = List.of();
            return servers;
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; keeping upstream resolvers {}", path, e.getMessage(), servers);
        }
        return servers;
    }
}
