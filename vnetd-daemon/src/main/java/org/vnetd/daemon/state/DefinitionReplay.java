package org.vnetd.daemon.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.DefinitionStore.Stored;

/**
 * The definitions log's records over the files found at start. A network's last record wins if its file
 * holds a version the log knows (what it held when one of the network's records was written, or what one
 * of them wrote); a file that is neither was changed after vnetd last wrote it, and it wins (warned).
 */
final class DefinitionReplay {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDirStore.class);

    /** The stored state: usable definitions, the names whose files must be brought up to date, and unusable files. */
    record Result(Map<String, StoredDefinition> current, TreeSet<String> stale, Map<String, Stored> problems) {
    }

    private DefinitionReplay() {
    }

    static Result over(Map<String, DefinitionFiles.Found> files, List<DefinitionRecord> records, DefinitionFiles where) {
        Map<String, DefinitionFiles.Found> found = new TreeMap<>(files);
        Map<String, List<DefinitionRecord>> logged = new LinkedHashMap<>();
        for (DefinitionRecord r : records) {
            logged.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
        }
        Result out = new Result(new TreeMap<>(), new TreeSet<>(), new TreeMap<>());
        logged.forEach((name, mine) -> {
            DefinitionFiles.Found f = found.get(name);
            Fingerprint file = f == null ? Fingerprint.ABSENT : f.fingerprint();
            if (mine.stream().anyMatch(r -> r.base().equals(file) || Fingerprint.of(r.xml()).equals(file))) {
                DefinitionRecord last = mine.getLast();
                if (last.present()) {
                    out.current().put(name, new StoredDefinition(last.xml(), last.autostart()));
                }
                out.stale().add(name);
                found.remove(name);
            } else {
                LOG.warn("{} was changed after vnetd last wrote it (by hand?): it is kept, and the {} change(s) of '{}' still"
                        + " in the definitions log are dropped", where.file(name), mine.size(), name);
            }
        });
        found.forEach((name, f) -> {
            if (f.problem() != null) {
                out.problems().put(name, new Stored(name, null, false, f.problem()));
            } else {
                out.current().put(name, new StoredDefinition(f.bytes(), f.autostart()));
            }
        });
        if (!logged.isEmpty()) {
            LOG.info("definitions log: {} record(s) of {} network(s) replayed over {}", records.size(), logged.size(),
                    where.dir());
        }
        return out;
    }
}
