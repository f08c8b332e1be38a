package org.vnetd.core.firewall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.vnetd.core.xml.NetworkXml;
import org.vnetd.testing.Conformance;

/** libvirt's networkxml2firewalldata networks, read with our XML model as the daemon reads them. */
final class FixtureNetworks {
    static final Path DIR = Conformance.libvirtTests("networkxml2firewalldata");

    private FixtureNetworks() {
    }

    /** Fixture names (XML file names without .xml), sorted. */
    static List<String> names() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".xml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FirewallNetwork load(String name) {
        try {
            return FirewallNetworks.from(NetworkXml.parse(Files.readString(DIR.resolve(name + ".xml"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
