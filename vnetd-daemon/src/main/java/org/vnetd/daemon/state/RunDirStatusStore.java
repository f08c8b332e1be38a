package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkNames;
import org.vnetd.core.driver.NetworkStatus;
import org.vnetd.core.driver.StatusStore;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Applied;
import org.vnetd.core.plan.LegacySteps;
import org.vnetd.core.plan.NetworkPlanner;
import org.vnetd.core.plan.PlanJson;
import org.vnetd.core.plan.Planner;
import org.vnetd.core.xml.NetworkXml;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Status of running networks: {@code RUNDIR/network/NAME.json}, written atomically. The file holds
 * {@code "version": 2} and the applied actions themselves ({@link PlanJson}); a file without a
 * version was written by a vnetd that recorded step ids, and is read by matching them against the
 * plan of its live definition ({@link LegacySteps}), so networks started before an upgrade are
 * adopted and undone as before.
 *
 * <p>A start writes its intent as {@code "version": 3}: the status, not complete, then once every
 * action ran a completion entry appended on its own line, {@code {"records":[...]}}, one record per
 * action. Appending is what keeps a start to one whole write: the completion is a few hundred bytes,
 * with no temp file, rename or directory sync. The file reads as complete only with a whole entry: a
 * crash while appending leaves a torn one, which reads as the intent alone (rolled back), and that is
 * right, for the start had not been answered. A vnetd that reads only version 2 sets such a file
 * aside, saying so, rather than taking the intent for the whole story and undoing a running network.
 */
public final class RunDirStatusStore implements StatusStore {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirStatusStore.class);
    /** The format written; 1 is the step-id format, which has no version field. */
    static final int VERSION = 2;
    /** A start's intent, which a completion entry may follow. */
    static final int JOURNAL_VERSION = 3;
    /**
     * Compact: with a whole firewall plan in it, a status is ~5 KiB compact and twice that indented, and
     * a start writes it once and appends its records (`jq .` shows it indented).
     */
    private static final ObjectWriter WRITER = PlanJson.MAPPER.writerFor(StatusFile.class);
    /** Step-id files carried fields this reader need not know. */
    private static final ObjectReader LEGACY = PlanJson.MAPPER.readerFor(LegacyStatus.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What is written: the version first, then the status's own fields. Spelled out rather than a
     * {@code @JsonUnwrapped NetworkStatus}: jackson caches no serializer below an unwrapped property, so
     * every write built the action serializers again, half the CPU of a network start's two status writes.
     */
    record StatusFile(int version, String name, String uuid, String liveXml, boolean persistent, boolean complete,
            List<Applied<Action>> applied, long startedAt) {
        static StatusFile of(int version, NetworkStatus s) {
            return new StatusFile(version, s.name(), s.uuid(), s.liveXml(), s.persistent(), s.complete(), s.applied(), s.startedAt());
        }
    }

    /** What a completed start appends to its intent: each action's record, in the intent's order. */
    record Completion(List<java.util.Map<String, String>> records) {
    }

    private static final ObjectWriter COMPLETION_WRITER = PlanJson.MAPPER.writerFor(Completion.class);
    private static final ObjectReader TREES = PlanJson.MAPPER.readerFor(JsonNode.class);

    /** A status as the step-id format has it. */
    record LegacyStatus(String name, String uuid, String liveXml, boolean persistent, boolean complete,
            List<LegacySteps.Step> applied, long startedAt) {
    }

    private final Path dir;
    private final Planner planner;

    public RunDirStatusStore(Path runDir) {
        this(runDir, new NetworkPlanner());
    }

    /** @param planner plans the live definition of a step-id status, to find its steps' actions */
    public RunDirStatusStore(Path runDir, Planner planner) {
        this.dir = runDir.resolve("network");
        this.planner = planner;
    }

    private Path file(String name) {
        return dir.resolve(NetworkNames.check(name) + ".json");
    }

    @Override
    public List<Loaded> loadAll() {
        List<Loaded> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try {
            // temp files are named .tmp-NAME.json-RANDOM, which the listing below would not see
            AtomicFiles.removeLeftovers(dir).forEach(f -> LOG.info("removed {} in {}, left by an interrupted write", f, dir));
        } catch (IOException e) {
            LOG.warn("cannot clean temp files in {}: {}", dir, e.getMessage());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : files) {
                String f = p.getFileName().toString();
                String name = f.substring(0, f.length() - ".json".length());
                try {
                    NetworkStatus s = decode(p, Files.readAllBytes(p));
                    if (s == null || s.name() == null || !s.name().equals(name) || s.liveXml() == null) {
                        out.add(new Loaded(name, null, p + " does not describe network '" + name + "'"));
                    } else {
                        out.add(new Loaded(name, s, null));
                    }
                } catch (IOException e) {
                    out.add(new Loaded(name, null, "cannot read " + p + ": " + firstLine(e.getMessage())));
                } catch (VnetException e) {
                    out.add(new Loaded(name, null, "cannot read " + p + ": " + firstLine(e.getMessage())));
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Null when the file holds no object. */
    NetworkStatus decode(Path p, byte[] bytes) throws IOException {
        try (MappingIterator<JsonNode> docs = TREES.readValues(bytes)) {
            JsonNode tree = docs.hasNextValue() ? docs.nextValue() : null;
            if (!(tree instanceof ObjectNode o)) {
                return null;
            }
            JsonNode version = o.remove("version");
            if (version == null) {
                return legacy(p, LEGACY.readValue(o));
            }
            if (!version.canConvertToInt() || (version.asInt() != VERSION && version.asInt() != JOURNAL_VERSION)) {
                throw VnetException.of(ErrorCode.STATE_IO, "status format %s is not one this vnetd reads (1 to %d)", version,
                        JOURNAL_VERSION);
            }
            NetworkStatus status = PlanJson.MAPPER.treeToValue(o, NetworkStatus.class);
            return version.asInt() == JOURNAL_VERSION ? completed(p, status, docs) : status;
        }
    }

    /** The intent with its completion entry applied, or the intent alone when the entry is missing or torn. */
    private static NetworkStatus completed(Path p, NetworkStatus intent, MappingIterator<JsonNode> docs) throws IOException {
        Completion c;
        try {
            if (!docs.hasNextValue()) {
                return intent;
            }
            c = PlanJson.MAPPER.treeToValue(docs.nextValue(), Completion.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
            LOG.warn("{}: the completion of the start of '{}' is torn (the daemon stopped while writing it); the start counts as"
                    + " not done", p, intent.name());
            return intent;
        }
        List<Applied<Action>> planned = intent.applied();
        if (c == null || c.records() == null || c.records().size() != planned.size()) {
            throw VnetException.of(ErrorCode.STATE_IO, "its completion lists %s record(s) for %d action(s)",
                    c == null || c.records() == null ? "no" : c.records().size(), planned.size());
        }
        List<Applied<Action>> applied = new ArrayList<>(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            applied.add(new Applied<>(planned.get(i).action(), c.records().get(i)));
        }
        return intent.withApplied(applied, true);
    }

    private NetworkStatus legacy(Path p, LegacyStatus s) {
        if (s.name() == null || s.liveXml() == null) {
            return null;
        }
        LegacySteps.Converted c = LegacySteps.convert(NetworkXml.parse(s.liveXml()), s.complete(),
                s.applied() == null ? List.of() : s.applied(), planner);
        if (!c.unmatched().isEmpty()) {
            LOG.error("{}: steps {} match no action of the network's plan; they cannot be undone", p, c.unmatched());
        }
        LOG.info("{}: read a status of the step-id format ({} step(s))", p, c.applied().size());
        return new NetworkStatus(s.name(), s.uuid(), s.liveXml(), s.persistent(), s.complete(), c.applied(), s.startedAt());
    }

    @Override
    public void save(NetworkStatus status) {
        write(VERSION, status);
    }

    @Override
    public void saveIntent(NetworkStatus intent) {
        write(JOURNAL_VERSION, intent);
    }

    private void write(int version, NetworkStatus status) {
        byte[] json;
        try {
            json = WRITER.writeValueAsBytes(StatusFile.of(version, status));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot encode the status of '" + status.name() + "'", e);
        }
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        AtomicFiles.write(file(status.name()), line);
    }

    /** Appends the records to the intent {@link #saveIntent} wrote, synced as the intent was. */
    @Override
    public void saveCompletion(NetworkStatus complete) {
        Path f = file(complete.name());
        byte[] entry;
        try {
            entry = COMPLETION_WRITER.writeValueAsBytes(new Completion(complete.applied().stream().map(Applied::record).toList()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot encode the status of '" + complete.name() + "'", e);
        }
        byte[] line = java.util.Arrays.copyOf(entry, entry.length + 1);
        line[entry.length] = '\n';
        // no CREATE: without its intent the records mean nothing, and a missing file is an error here
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot complete the status " + f + ": " + e.getMessage(), e);
        }
    }
    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot delete the status of '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String setAside(String name, String reason) {
        Path p = dir.resolve(name + ".json");
        Path aside = AtomicFiles.setAside(p);
        LOG.error("status {} set aside as {}: {}", p, aside, reason);
        return aside.toString();
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
