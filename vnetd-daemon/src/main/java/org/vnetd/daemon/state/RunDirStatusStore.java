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
import org.vnetd.core.rpc.RpcCodec;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectWriter;

/** Status of running networks: {@code RUNDIR/network/NAME.json}, written atomically. */
public final class RunDirStatusStore implements StatusStore {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirStatusStore.class);
    private static final ObjectWriter WRITER = RpcCodec.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public RunDirStatusStore(Path runDir) {
        this.dir = runDir.resolve("network");
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
                    NetworkStatus s = RpcCodec.MAPPER.readValue(p.toFile(), NetworkStatus.class);
                    if (s == null || s.name() == null || !s.name().equals(name) || s.liveXml() == null) {
                        out.add(new Loaded(name, null, p + " does not describe network '" + name + "'"));
                    } else {
                        out.add(new Loaded(name, s, null));
                    }
                } catch (IOException e) {
                    out.add(new Loaded(name, null, "cannot read " + p + ": " + firstLine(e.getMessage())));
                }
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void save(NetworkStatus status) {
        try {
            AtomicFiles.write(file(status.name()), WRITER.writeValueAsBytes(status));
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
