package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Status of running networks: {@code RUNDIR/network/NAME.json}, written atomically. The file holds
 * {@code "version": 2} and the applied actions themselves ({@link PlanJson}); a file without a
 * version was written by a vnetd that recorded step ids, and is read by matching them against the
 * plan of its live definition ({@link LegacySteps}), so networks started before an upgrade are
 * adopted and undone as before.
 */
public final class RunDirStatusStore implements StatusStore {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirStatusStore.class);
    /** The format written; 1 is the step-id format, which has no version field. */
    static final int VERSION = 2;
    /**
     * Compact: with a whole firewall plan in it, a status is ~5 KiB compact and twice that indented, and
     * a start writes it twice (`jq .` shows it indented).
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
        static StatusFile of(NetworkStatus s) {
            return new StatusFile(VERSION, s.name(), s.uuid(), s.liveXml(), s.persistent(), s.complete(), s.applied(), s.startedAt());
        }
    }

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
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : files) {
                if (AtomicFiles.isTemp(p)) {
                    Files.deleteIfExists(p);
                    continue;
                }
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
        JsonNode tree = PlanJson.MAPPER.readTree(bytes);
        if (!(tree instanceof ObjectNode o)) {
            return null;
        }
        JsonNode version = o.remove("version");
        if (version == null) {
            return legacy(p, LEGACY.readValue(o));
        }
        if (!version.canConvertToInt() || version.asInt() != VERSION) {
            throw VnetException.of(ErrorCode.STATE_IO, "status format %s is not one this vnetd reads (1 and %d)", version, VERSION);
        }
        return PlanJson.MAPPER.treeToValue(o, NetworkStatus.class);
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
        try {
            AtomicFiles.write(file(status.name()), WRITER.writeValueAsBytes(StatusFile.of(status)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot encode the status of '" + status.name() + "'", e);
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
