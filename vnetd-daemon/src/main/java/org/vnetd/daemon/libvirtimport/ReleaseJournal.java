package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkNames;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.PlanJson;
import org.vnetd.daemon.state.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * What a release from libvirt did, on disk ({@code RUNDIR/libvirt-release/NAME.json}, fsynced) before each of
 * its steps runs: what is needed to give the network back is there even when the daemon dies in the middle of
 * a takeover, and a restarted daemon gives it back ({@link LibvirtRelease#giveBack}). A step is recorded as
 * begun before it runs, so the give-back checks what a begun step left (rules still there, a daemon still
 * running, the status file still in place) rather than trusting it ran. The file goes once the network is given
 * back, or once the takeover is on record as complete: a file left means a takeover neither finished nor given back.
 */
final class ReleaseJournal {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseJournal.class);
    static final String DIR = "libvirt-release";
    private static final ObjectWriter WRITER = PlanJson.MAPPER.writerFor(Entry.class);
    private static final ObjectReader READER = PlanJson.MAPPER.readerFor(Entry.class);

    /**
     * One network's release.
     *
     * @param release        the release as planned
     * @param subnets        the network's subnets, which name libvirt's rules of it
     * @param daemons        how libvirt ran its daemons, taken before any stops
     * @param statusSetAside whether moving libvirt's status file aside has begun
     * @param rulesRemoved   per tool whose removal of libvirt's rules has begun, the script putting them back
     * @param stopping       the programs whose stop has begun
     */
    record Entry(Action.ReleaseFromLibvirt release, List<String> subnets, List<LibvirtDaemonRun> daemons, boolean statusSetAside,
            Map<String, String> rulesRemoved, Set<String> stopping) {
        Entry {
            subnets = List.copyOf(subnets);
            daemons = List.copyOf(daemons);
            rulesRemoved = Collections.unmodifiableMap(new LinkedHashMap<>(rulesRemoved));
            stopping = Collections.unmodifiableSet(new LinkedHashSet<>(stopping));
        }

        static Entry begin(Action.ReleaseFromLibvirt release, List<String> subnets, List<LibvirtDaemonRun> daemons) {
            return new Entry(release, subnets, daemons, false, Map.of(), Set.of());
        }

        Entry settingStatusAside() {
            return new Entry(release, subnets, daemons, true, rulesRemoved, stopping);
        }

        Entry removingRules(String tool, String restoreScript) {
            Map<String, String> rules = new LinkedHashMap<>(rulesRemoved);
            rules.put(tool, restoreScript);
            return new Entry(release, subnets, daemons, statusSetAside, rules, stopping);
        }

        Entry stopping(String program) {
            Set<String> s = new LinkedHashSet<>(stopping);
            s.add(program);
            return new Entry(release, subnets, daemons, statusSetAside, rulesRemoved, s);
        }

        String network() {
            return release.network();
        }
    }

    private final Path dir;

    ReleaseJournal(Path runDir) {
        this.dir = runDir.resolve(DIR);
    }

    private Path file(String network) {
        return dir.resolve(NetworkNames.check(network) + ".json");
    }

    /** Writes {@code e} durably (fsync of the file and its directory) before returning. */
    void save(Entry e) {
        try {
            AtomicFiles.write(file(e.network()), WRITER.writeValueAsBytes(e));
        } catch (IOException ex) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot record the release of network '" + e.network() + "': " + ex.getMessage(), ex);
        }
    }

    Optional<Entry> read(String network) {
        Path f = file(network);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(READER.readValue(f.toFile()));
        } catch (IOException ex) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read the release record " + f + ": " + ex.getMessage(), ex);
        }
    }

    /** The networks with a record, in name order. */
    List<String> networks() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try {
            // .tmp-NAME.json-RANDOM, left by a record write a crash interrupted: the record keeps its previous version
            AtomicFiles.removeLeftovers(dir).forEach(f -> LOG.info("removed {} in {}, left by an interrupted write", f, dir));
        } catch (IOException ex) {
            LOG.warn("cannot clean temp files in {}: {}", dir, ex.getMessage());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                out.add(n.substring(0, n.length() - ".json".length()));
            }
        } catch (IOException ex) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + dir + ": " + ex.getMessage(), ex);
        }
        out.sort(null);
        return out;
    }

    void delete(String network) {
        Path f = file(network);
        try {
            if (Files.deleteIfExists(f)) {
                AtomicFiles.syncDirectory(dir);
                LOG.debug("release record of network '{}' deleted", network);
            }
        } catch (IOException ex) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot delete the release record " + f + ": " + ex.getMessage(), ex);
        }
    }
}
