package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.ImportJournal;
import org.vnetd.core.plan.PlanJson;
import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.state.AtomicFiles;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * {@link ImportJournal} as a file, {@code RUNDIR/libvirt-import.json} (the names, fsynced), there while an import
 * runs. At daemon start ({@link #finishInterrupted}), after the recovery has given the interrupted takeover's
 * network back, the networks it names that vnetd does not run are undefined again, before autostart.
 */
public final class FileImportJournal implements ImportJournal {
    private static final Logger LOG = LoggerFactory.getLogger(FileImportJournal.class);
    static final String FILE = "libvirt-import.json";
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final Path file;

    public FileImportJournal(Path runDir) {
        this.file = runDir.resolve(FILE);
    }

    @Override
    public void defining(List<String> networks) {
        try {
            AtomicFiles.write(file, PlanJson.MAPPER.writeValueAsBytes(networks));
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot record the import: " + e.getMessage(), e);
        }
    }

    @Override
    public void ended() {
        try {
            if (Files.deleteIfExists(file)) {
                AtomicFiles.syncDirectory(file.getParent());
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * An import the daemon died in: each network it was defining that vnetd does not run now is undefined (its
     * takeover never finished; libvirt has it back). Failures are logged, never stop the start.
     */
    public void finishInterrupted(NetworkDriver driver) {
        try {
            // a record write a crash interrupted leaves .tmp-libvirt-import.json-RANDOM beside the record
            AtomicFiles.removeLeftovers(file.getParent()).forEach(f -> LOG.info("removed {}, left by an interrupted write", f));
        } catch (IOException e) {
            LOG.warn("cannot clean temp files in {}: {}", file.getParent(), e.getMessage());
        }
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> names = PlanJson.MAPPER.readValue(file.toFile(), NAMES);
            List<NetworkSummary> known = driver.list();
            for (String name : names) {
                NetworkSummary n = known.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
                if (n != null && n.persistent() && !n.active()) {
                    LOG.warn("network '{}': defined by an import from libvirt that vnetd died in, and not taken over; undefining it "
                            + "(libvirt's still)", name);
                    driver.undefine(name);
                }
            }
            ended();
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot finish the import from libvirt that vnetd died in ({}): {}; check `vnetctl net-list --all` against "
                    + "libvirt's networks", file, e.getMessage());
        }
    }
}
