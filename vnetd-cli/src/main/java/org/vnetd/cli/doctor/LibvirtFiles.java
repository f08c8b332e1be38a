package org.vnetd.cli.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vnetd.core.libvirtimport.LibvirtNetwork;
import org.vnetd.core.xml.NetworkXml;

/** Where libvirt's network driver shows what it runs: its status files and the dnsmasq processes it started. */
final class LibvirtFiles {
    static final String DNSMASQ_CONF = "--conf-file=/var/lib/libvirt/dnsmasq/";

    private LibvirtFiles() {
    }

    static List<HostProbe.LibvirtBridge> bridges(Optional<Path> statusDir, String netns) {
        List<HostProbe.LibvirtBridge> out = new ArrayList<>();
        statusDir.ifPresent(dir -> statuses(dir, out));
        dnsmasqs(netns, out);
        return out;
    }

    private static void statuses(Path dir, List<HostProbe.LibvirtBridge> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : ds) {
                String name = p.getFileName().toString().replaceFirst("\\.xml$", "");
                bridgeOfStatus(Files.readString(p, StandardCharsets.UTF_8), p.toString())
                        .ifPresent(b -> out.add(new HostProbe.LibvirtBridge(name, b, "its status " + p)));
            }
        } catch (IOException e) {
            // no libvirt here, or not readable: nothing to tell
        }
    }

    /** The bridge of the network a libvirt status file holds. */
    static Optional<String> bridgeOfStatus(String status, String where) {
        try {
            return NetworkXml.parse(LibvirtNetwork.networkOfStatus(status, where)).bridgeName();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void dnsmasqs(String netns, List<HostProbe.LibvirtBridge> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : ds) {
                dnsmasq(proc, netns).ifPresent(out::add);
            }
        } catch (IOException e) {
            // no /proc: nothing to tell
        }
    }

    private static Optional<HostProbe.LibvirtBridge> dnsmasq(Path proc, String netns) {
        try {
            String[] argv = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8).split("\0");
            if (argv.length == 0 || !argv[0].endsWith("dnsmasq") || !netns.equals(Files.readSymbolicLink(proc.resolve("ns/net")).toString())) {
                return Optional.empty();
            }
            for (String a : argv) {
                if (a.startsWith(DNSMASQ_CONF)) {
                    Path conf = Path.of(a.substring("--conf-file=".length()));
                    String name = conf.getFileName().toString().replaceFirst("\\.conf$", "");
                    Optional<String> bridge = interfaceOf(Files.readString(conf, StandardCharsets.UTF_8));
                    return bridge.map(b -> new HostProbe.LibvirtBridge(name, b, "its dnsmasq (pid " + proc.getFileName() + ")"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or another user's
        }
        return Optional.empty();
    }

    /** The {@code interface=} of a dnsmasq conf file libvirt wrote. */
    static Optional<String> interfaceOf(String conf) {
        return conf.lines().filter(l -> l.startsWith("interface=")).map(l -> l.substring("interface=".length()).trim()).findFirst();
    }
}
