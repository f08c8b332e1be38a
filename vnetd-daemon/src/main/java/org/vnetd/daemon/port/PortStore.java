package org.vnetd.daemon.port;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;

import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Ports on disk: one JSON file per port in {@code <run-dir>/ports}. The run dir is runtime state
 * (tmpfs in production, gone at reboot together with the taps it describes), so files are not fsynced:
 * durability across power loss would describe taps that no longer exist, and an fsync per port would
 * cost more than creating the tap. A port's file is written once, under a name (its uuid) that did not
 * exist: writing it in place is as safe as a temporary file and a rename (a crash mid-write loses the
 * port either way; a torn file is set aside as {@code *.bad} and reported at load) and spares a rename
 * per port.
 */
public final class PortStore {
    private static final Logger LOG = LoggerFactory.getLogger(PortStore.class);
    private static final String SUFFIX = ".json";
    /** Immutable and thread-safe: built once, not per port. */
    private static final ObjectWriter WRITER = RpcCodec.MAPPER.writerWithDefaultPrettyPrinter();

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

    /** Writes a new port's file; a port uuid is never saved twice (FileAlreadyExists otherwise). */
    void save(PortRecord r) {
        Path target = dir.resolve(r.uuid() + SUFFIX);
        byte[] json;
        try {
            json = WRITER.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot encode port " + r.uuid() + ": " + e.getMessage(), e);
        }
        try {
            Files.write(target, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot save port " + r.uuid() + ": " + target + " exists already", e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the save error below is what the caller needs; a torn file would be set aside at load
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
