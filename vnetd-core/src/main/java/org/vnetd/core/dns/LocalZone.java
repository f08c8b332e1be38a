package org.vnetd.core.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The names this network answers itself, as one immutable snapshot: built from the configuration
 * and the guests' names, then swapped whole, so a query never sees half an update.
 */
final class LocalZone {
    private final Map<DnsName, List<ResourceRecord>> records;
    /** Names that exist only because a longer name exists below them (e.g. {@code _tcp.example.com}). */
    private final Set<DnsName> emptyNonTerminals;
    private final Optional<ResourceRecord> soa;

    private LocalZone(Map<DnsName, List<ResourceRecord>> records, Set<DnsName> emptyNonTerminals, Optional<ResourceRecord> soa) {
        this.records = records;
        this.emptyNonTerminals = emptyNonTerminals;
        this.soa = soa;
    }

    static LocalZone build(DnsConfig config, Iterable<Map.Entry<InetAddress, String>> guests) {
        Builder b = new Builder(config);
        Set<String> staticNames = new HashSet<>();
        for (DnsConfig.Host h : config.hosts()) {
            boolean first = true;
            for (String hostname : h.hostnames()) {
                DnsName name = DnsName.of(hostname);
                staticNames.add(name.key());
                for (DnsName n : b.expand(name)) {
                    staticNames.add(n.key());
                    b.address(n, h.ip());
                }
                if (first) {
                    b.ptr(h.ip(), b.qualified(name));
                    first = false;
                }
            }
        }
        for (Map.Entry<InetAddress, String> g : guests) {
            DnsName name = DnsName.of(g.getValue());
            // a <dns><host> name is the administrator's; a guest cannot take it over
            if (staticNames.contains(name.key())) {
                continue;
            }
            for (DnsName n : b.expand(name)) {
                b.guestAddress(n, g.getKey());
            }
            b.ptr(g.getKey(), b.qualified(name));
        }
        for (DnsConfig.Srv s : config.srvRecords()) {
            DnsName name = DnsName.of("_" + s.service() + "._" + s.protocol());
            Optional<DnsName> zone = s.domain().map(DnsName::of).or(config::domain);
            if (zone.isPresent()) {
                name = name.append(zone.get());
            }
            DnsName target = s.target().map(DnsName::of).orElse(DnsName.ROOT);
            b.add(new ResourceRecord(name, config.localTtl(), new Rdata.Srv(s.priority(), s.weight(), s.port(), target)));
        }
        for (DnsConfig.Txt t : config.txtRecords()) {
            for (DnsName n : b.expand(DnsName.of(t.name()))) {
                b.add(new ResourceRecord(n, config.localTtl(), new Rdata.Txt(t.value())));
            }
        }
        return b.finish();
    }

    /** Records of {@code name}, empty if the name is not known here. */
    List<ResourceRecord> lookup(DnsName name) {
        return records.getOrDefault(name, List.of());
    }

    boolean exists(DnsName name) {
        return records.containsKey(name) || emptyNonTerminals.contains(name);
    }

    Optional<ResourceRecord> soa() {
        return soa;
    }

    private static final class Builder {
        private final DnsConfig config;
        private final Map<DnsName, List<ResourceRecord>> records = new LinkedHashMap<>();
        /** Guest addresses per name and family: the newest lease replaces an older one of the same name. */
        private final Map<DnsName, Map<Class<?>, InetAddress>> guestAddresses = new LinkedHashMap<>();
        private final Map<DnsName, List<ResourceRecord>> ptrs = new HashMap<>();

        Builder(DnsConfig config) {
            this.config = config;
        }

        /** A plain name also answers as {@code name.domain} (dnsmasq's expand-hosts, which libvirt sets with a domain). */
        List<DnsName> expand(DnsName name) {
            if (config.domain().isPresent() && name.labelCount() == 1) {
                return List.of(name, name.append(config.domain().get()));
            }
            return List.of(name);
        }

        DnsName qualified(DnsName name) {
            return config.domain().isPresent() && name.labelCount() == 1 ? name.append(config.domain().get()) : name;
        }

        void address(DnsName name, InetAddress ip) {
            add(new ResourceRecord(name, config.localTtl(), addressData(ip)));
        }

        void guestAddress(DnsName name, InetAddress ip) {
            guestAddresses.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(ip.getClass(), ip);
        }

        void ptr(InetAddress ip, DnsName target) {
            DnsName rev = ReverseNames.of(ip);
            ptrs.computeIfAbsent(rev, k -> new ArrayList<>()).add(new ResourceRecord(rev, config.localTtl(), new Rdata.Ptr(target)));
        }

        void add(ResourceRecord r) {
            List<ResourceRecord> list = records.computeIfAbsent(r.name(), k -> new ArrayList<>());
            if (!list.contains(r)) {
                list.add(r);
            }
        }

        LocalZone finish() {
            guestAddresses.forEach((name, byFamily) -> byFamily.values().forEach(ip -> address(name, ip)));
            ptrs.forEach((rev, list) -> list.forEach(this::add));
            Optional<ResourceRecord> soa = config.domain().map(d -> new ResourceRecord(d, config.localTtl(),
                    new Rdata.Soa(d, DnsName.of("hostmaster").append(d), 1, 3600, 600, 86400, config.localTtl())));
            soa.ifPresent(this::add);
            Set<DnsName> ents = new HashSet<>();
            if (config.domain().isPresent()) {
                DnsName d = config.domain().get();
                for (DnsName n : records.keySet()) {
                    for (DnsName p = n.parent(); !p.isRoot() && p.isUnder(d) && !p.equals(d); p = p.parent()) {
                        if (!records.containsKey(p)) {
                            ents.add(p);
                        }
                    }
                }
            }
            Map<DnsName, List<ResourceRecord>> frozen = new HashMap<>();
            records.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new LocalZone(Map.copyOf(frozen), Set.copyOf(ents), soa);
        }

        private static Rdata addressData(InetAddress ip) {
            if (ip instanceof Inet4Address v4) {
                return new Rdata.A(v4);
            }
            return new Rdata.Aaaa((Inet6Address) ip);
        }
    }
}
