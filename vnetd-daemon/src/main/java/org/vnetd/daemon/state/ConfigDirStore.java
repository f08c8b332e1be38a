package org.vnetd.daemon.state;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.DefinitionStore;
import org.vnetd.core.driver.NetworkNames;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * Persistent definitions as libvirt keeps them: {@code DIR/NAME.xml}, and {@code DIR/autostart/NAME.xml}
 * a symlink to {@code ../NAME.xml} for each autostarted network.
 */
public final class ConfigDirStore implements DefinitionStore {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDirStore.class);
    /** Definitions larger than this are not read (a libvirt network XML is a few KiB). */
    static final long MAX_FILE = 4L * 1024 * 1024;

    private final Path dir;
    private final Path autostartDir;

    public ConfigDirStore(Path dir) {
        this.dir = dir;
        this.autostartDir = dir.resolve("autostart");
    }

    public Path dir() {
        return dir;
    }

    private Path file(String name) {
        return dir.resolve(NetworkNames.check(name) + ".xml");
    }

    private Path link(String name) {
        return autostartDir.resolve(NetworkNames.check(name) + ".xml");
    }

    @Override
    public List<Stored> loadAll() {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : files) {
                if (AtomicFiles.isTemp(p) || !Files.isRegularFile(p)) {
                    continue;
                }
                String fileName = p.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - ".xml".length());
                out.add(load(name, p));
            }
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        removeTempLeftovers();
        out.sort(java.util.Comparator.comparing(Stored::name));
        return out;
    }

    private Stored load(String name, Path p) {
        try {
            NetworkNames.check(name);
        } catch (VnetException e) {
            return new Stored(name, null, false, e.getMessage());
        }
        try {
            long size = Files.size(p);
            if (size > MAX_FILE) {
                return new Stored(name, null, false, p + " is " + size + " bytes; the limit is " + MAX_FILE);
            }
            String xml = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
            return new Stored(name, xml, Files.exists(link(name)), null);
        } catch (CharacterCodingException e) {
            return new Stored(name, null, false, p + " is not valid UTF-8");
        } catch (IOException e) {
            return new Stored(name, null, false, "cannot read " + p + ": " + e.getMessage());
        }
    }

    private void removeTempLeftovers() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
            for (Path p : files) {
                // a write interrupted by a crash: the target file still holds the previous version
                LOG.info("removing {} left by an interrupted write", p);
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean temp files in {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void save(String name, String xml) {
        AtomicFiles.write(file(name), xml.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void delete(String name) {
        try {
            Files.deleteIfExists(link(name));
            Files.deleteIfExists(file(name));
            AtomicFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot delete the definition of '" + name + "' in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void setAutostart(String name, boolean autostart) {
        Path l = link(name);
        try {
            if (autostart) {
                FileModes.directory(autostartDir, FileModes.PRIVATE_DIR);
                if (!Files.isSymbolicLink(l)) {
                    Files.deleteIfExists(l);
                    Files.createSymbolicLink(l, Path.of("..", name + ".xml"));
                }
            } else {
                Files.deleteIfExists(l);
            }
            AtomicFiles.syncDirectory(autostartDir);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot " + (autostart ? "create " : "remove ") + l + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String setAside(String name, String reason) {
        Path p = dir.resolve(name + ".xml");
        if (!p.normalize().getParent().equals(dir.normalize())) {
            throw new VnetException(ErrorCode.STATE_IO, "refusing to move " + p + ": outside " + dir);
        }
        Path aside = AtomicFiles.setAside(p);
        LOG.error("definition {} set aside as {}: {}", p, aside, reason);
        return aside.toString();
    }
}
