package org.vnetd.daemon.port;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.daemon.state.FileModes;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.rpc.RpcCodec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Ports on disk: one append-only log, {@code <run-dir>/ports/ports.log}, a JSON object per line:
 * {@code {"op":"put","port":{...}}} when a port is created, {@code {"op":"delete","uuid":"..."}} when
 * it is deleted. A change is one {@code write} to a descriptor kept open (a file per port cost an
 * open, a create and a close: more than a tenth of a port's creation). The run dir is runtime state
 * (tmpfs in production, gone at reboot together with the taps it describes), so nothing is fsynced;
 * a killed daemon's writes are in the page cache. The log is rewritten (temporary file, rename) at
 * load and whenever deleted ports make up most of it.
 * <p>
 * A line that does not parse (a torn last write on a disk-backed run dir, an edit by hand) is skipped
 * and reported with its line number, and the log as found is kept beside it as {@code ports.log.bad}
 * before it is rewritten, so nothing stored is lost silently. Port files of daemons before the log
 * ({@code <uuid>.json}) are read once and folded into it.
 * <p>
 * Not thread-safe: the port manager serialises its changes.
 */
public final class PortStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortStore.class);
    static final String LOG_NAME = "ports.log";
    private static final String LEGACY_SUFFIX = ".json";
    /** Rewrite once the log holds this many lines more than twice the live ports. */
    static final int COMPACT_SLACK = 1024;
    private static final ObjectMapper MAPPER = RpcCodec.MAPPER;

    private final Path dir;
    private final Path logFile;
    private final Map<String, PortRecord> live = new LinkedHashMap<>();
    private FileChannel log;
    private long lines;
    /** Whether {@code live} holds everything stored (after {@link #load}): only then may the log be rewritten. */
    private boolean loaded;

    public PortStore(Path dir) {
        this.dir = dir;
        this.logFile = dir.resolve(LOG_NAME);
        try {
            FileModes.directory(dir, FileModes.PRIVATE_DIR);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Records a new port. */
    void save(PortRecord r) {
        append(MAPPER.createObjectNode().put("op", "put").set("port", MAPPER.valueToTree(r)), "save port " + r.uuid());
        live.put(r.uuid(), r);
        compactIfMostlyDeleted();
    }

    /** Records a port's deletion (nothing happens for an unknown uuid but the line). */
    void delete(String uuid) {
        append(MAPPER.createObjectNode().put("op", "delete").put("uuid", uuid), "delete port " + uuid);
        live.remove(uuid);
        compactIfMostlyDeleted();
    }

    /** Every stored port, in creation order; the log is rewritten to hold just them. */
    List<PortRecord> load() {
        live.clear();
        closeLog();
        boolean damaged = false;
        List<Path> legacy = new ArrayList<>();
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + LEGACY_SUFFIX)) {
                for (Path p : ds) {
                    legacy.add(p);
                    try {
                        PortRecord r = MAPPER.readValue(Files.readAllBytes(p), PortRecord.class);
                        live.put(r.uuid(), r);
                    } catch (IOException e) {
                        Path bad = p.resolveSibling(p.getFileName() + ".bad");
                        LOG.error("cannot read port state {} ({}); moved to {}", p, e.getMessage(), bad);
                        Files.move(p, bad, StandardCopyOption.REPLACE_EXISTING);
                        legacy.remove(p);
                    }
                }
            }
            if (Files.exists(logFile)) {
                damaged = replay();
            }
            if (damaged) {
                Path bad = dir.resolve(LOG_NAME + ".bad");
                Files.copy(logFile, bad, StandardCopyOption.REPLACE_EXISTING);
                LOG.error("the port log {} had lines that do not parse (skipped, see above); it is kept as {}", logFile, bad);
            }
            rewrite();
            loaded = true;
            for (Path p : legacy) {
                Files.deleteIfExists(p); // folded into the log just written
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read ports from " + dir + ": " + e.getMessage(), e);
        }
        return List.copyOf(live.values());
    }

    /** Applies the log's lines to {@code live}; true if some did not parse. */
    private boolean replay() throws IOException {
        boolean damaged = false;
        List<String> text = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = MAPPER.readTree(line);
                switch (n.path("op").asText()) {
                    case "put" -> {
                        PortRecord r = MAPPER.treeToValue(n.get("port"), PortRecord.class);
                        live.put(r.uuid(), r);
                    }
                    case "delete" -> live.remove(n.path("uuid").asText());
                    default -> throw new IOException("unknown op '" + n.path("op").asText() + "'");
                }
            } catch (IOException | IllegalArgumentException | NullPointerException e) {
                damaged = true;
                LOG.error("{} line {}: {}; skipped", logFile, i + 1, e.getMessage());
            }
        }
        return damaged;
    }

    private void compactIfMostlyDeleted() {
        if (loaded && lines > 2L * live.size() + COMPACT_SLACK) {
            try {
                closeLog();
                rewrite();
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot rewrite the port log " + logFile + ": " + e.getMessage(), e);
            }
        }
    }

    /** The log holding exactly {@code live}: a temporary file renamed over it, then reopened for appends. */
    private void rewrite() throws IOException {
        Path tmp = dir.resolve(LOG_NAME + ".tmp");
        StringBuilder sb = new StringBuilder(live.size() * 1024);
        for (PortRecord r : live.values()) {
            sb.append(MAPPER.writeValueAsString(MAPPER.createObjectNode().put("op", "put").set("port", MAPPER.valueToTree(r))))
                    .append('\n');
        }
        Files.deleteIfExists(tmp); // created anew, owner-only
        Files.createFile(tmp, FileModes.privateFile());
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, logFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        lines = live.size();
        openLog();
    }

    private void append(JsonNode entry, String what) {
        try {
            if (log == null) {
                openLog();
            }
            byte[] bytes = MAPPER.writeValueAsBytes(entry);
            ByteBuffer buf = ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
            while (buf.hasRemaining()) {
                log.write(buf);
            }
            lines++;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot " + what + " in " + logFile + ": " + e.getMessage(), e);
        }
    }

    private void openLog() throws IOException {
        log = FileChannel.open(logFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                FileModes.privateFile());
        Files.setPosixFilePermissions(logFile, FileModes.PRIVATE_FILE); // one made under an older umask too
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("closing the port log {}: {}", logFile, e.getMessage());
            }
            log = null;
        }
    }

    @Override
    public void close() {
        closeLog();
    }
}
