package org.vnetd.daemon.libvirtimport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.vnetd.core.dhcp.DhcpLease;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.libvirtimport.LibvirtHost;
import org.vnetd.core.libvirtimport.LibvirtNetwork;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.daemon.dhcp.LibvirtLeaseImport;

/**
 * Reads libvirt's network driver's files: definitions ({@code configDir/NAME.xml}, autostart links in
 * {@code configDir/autostart}), running networks ({@code statusDir/NAME.xml}, with the pid files
 * {@code NAME.pid} of its dnsmasq and {@code NAME-radvd.pid} of its radvd) and leases
 * ({@code leaseDir/BRIDGE.status}), and the port records of a running network's guests
 * ({@code statusDir/NAME/ports/UUID.xml}). Reads only; a definition that does not parse is passed on for the
 * import's planner to refuse with the others' problems.
 */
public final class LibvirtHostReader {
    private final Path configDir;
    private final Path statusDir;
    private final Path leaseDir;

    public LibvirtHostReader(Path configDir, Path statusDir, Path leaseDir) {
        this.configDir = configDir;
        this.statusDir = statusDir;
        this.leaseDir = leaseDir;
    }

    public LibvirtHost read() {
        if (!Files.isDirectory(configDir) && !Files.isDirectory(statusDir)) {
            throw VnetException.of(ErrorCode.INVALID_ARGUMENT, "no libvirt networks to import: neither %s nor %s is a directory",
                    configDir, statusDir);
        }
        Map<String, Path> configs = xmlFiles(configDir);
        Map<String, Path> statuses = xmlFiles(statusDir);
        TreeMap<String, Boolean> names = new TreeMap<>();
        configs.keySet().forEach(n -> names.put(n, true));
        statuses.keySet().forEach(n -> names.put(n, true));
        List<LibvirtNetwork> out = new ArrayList<>();
        for (String name : names.keySet()) {
            Path config = configs.get(name);
            Path status = statuses.get(name);
            String configXml = config == null ? null : read(config);
            String liveXml = status == null ? null : networkOfStatus(status);
            String bridge = bridgeOf(liveXml != null ? liveXml : configXml);
            Path leases = bridge == null ? null : leaseDir.resolve(bridge + ".status");
            boolean hasLeases = leases != null && Files.isRegularFile(leases);
            List<DhcpLease> read = hasLeases ? LibvirtLeaseImport.read(leases) : List.of();
            boolean running = liveXml != null;
            out.add(new LibvirtNetwork(name, configXml, Files.exists(configDir.resolve("autostart").resolve(name + ".xml"),
                    LinkOption.NOFOLLOW_LINKS), liveXml, Optional.ofNullable(status).map(Path::toString),
                    running ? livePid(statusDir.resolve(name + ".pid")) : OptionalLong.empty(),
                    running ? livePid(statusDir.resolve(name + "-radvd.pid")) : OptionalLong.empty(),
                    hasLeases ? Optional.of(leases.toString()) : Optional.empty(), read,
                    running ? portXmls(statusDir.resolve(name).resolve("ports")) : List.of()));
        }
        return new LibvirtHost(out);
    }

    private static Map<String, Path> xmlFiles(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    String f = p.getFileName().toString();
                    files.put(f.substring(0, f.length() - 4), p);
                }
            }
        } catch (NoSuchFileException e) {
            return files; // libvirt has no network of that kind
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static List<String> portXmls(Path dir) {
        List<String> out = new ArrayList<>();
        for (Path p : xmlFiles(dir).values()) {
            out.add(read(p));
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static String networkOfStatus(Path status) {
        try {
            return LibvirtNetwork.networkOfStatus(read(status), status.toString());
        } catch (IllegalArgumentException e) {
            throw new VnetException(ErrorCode.XML_PARSE, e.getMessage(), e);
        }
    }

    /** The bridge named in {@code xml}, or null (no bridge, or XML the planner will refuse). */
    private static String bridgeOf(String xml) {
        try {
            return NetworkXml.parse(xml).bridgeName().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The pid a pid file names, when that process lives. */
    static OptionalLong livePid(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot read the pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }
}
