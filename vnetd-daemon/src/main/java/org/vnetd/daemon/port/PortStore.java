package org.vnetd.daemon.port;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;

/**
 * Ports on disk: one JSON file per port in {@code <run-dir>/ports}. The run dir is runtime state
 * (tmpfs in production, gone at reboot together with the taps it describes), so files are replaced
 * atomically by rename but not fsynced: durability across power loss would describe taps that no
 * longer exist, and an fsync per port would cost more than creating the tap.
 */
public final class PortStore {
    private static final Logger LOG = LoggerFactory.getLogger(PortStore.class);
    private static final String SUFFIX = ".json";

    private final Path dir;

    public PortStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    void save(PortRecord r) {
        Path target = dir.resolve(r.uuid() + SUFFIX);
        Path tmp = dir.resolve(".tmp-" + r.uuid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.write(tmp, RpcCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot save port " + r.uuid() + ": " + dir + " cannot rename atomically", e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the save error below is what the caller needs; load() skips temp files
            }
            throw new VnetException(ErrorCode.STATE_IO, "cannot save port " + r.uuid() + " in " + target + ": " + e.getMessage(), e);
        }
    }

    void delete(String uuid) {
        Path p = dir.resolve(uuid + SUFFIX);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    /** Every stored port; an unreadable file is set aside as {@code *.bad} and reported, not fatal. */
    List<PortRecord> load() {
        List<PortRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".tmp-")) {
                    Files.deleteIfExists(p);
                    continue;
                }
                if (!n.endsWith(SUFFIX)) {
                    continue;
                }
                try {
                    out.add(RpcCodec.MAPPER.readValue(Files.readAllBytes(p), PortRecord.class));
                } catch (IOException e) {
                    Path bad = p.resolveSibling(n + ".bad");
                    LOG.error("cannot read port state {} ({}); moved to {}", p, e.getMessage(), bad);
                    Files.move(p, bad, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read ports from " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
