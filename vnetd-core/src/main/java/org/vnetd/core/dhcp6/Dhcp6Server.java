package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The stateful DHCPv6 server of one bridge (RFC 8415 §18.3), without sockets: {@link #handle} takes a
 * decoded client message and returns the answer and the lease changes the caller must make durable
 * before it sends the answer. Addresses come from the client's {@code <host id>} reservation, its
 * current binding, or the ranges, starting at an offset hashed from DUID and IAID so a returning
 * client tends to get its old address back. The bindings are kept by {@link Dhcp6Bindings}, the
 * answers built by {@link Dhcp6Answers}. Not thread-safe: one transport thread owns it.
 */
public final class Dhcp6Server {
    /** At most this many addresses are looked at per allocation, so a huge range costs bounded time. */
    static final int MAX_PROBES = 4096;
    /** A host name label (RFC 1123) a client's FQDN may give its binding. */
    private static final java.util.regex.Pattern HOST_LABEL = java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** A range ready for allocation: its span and its lease time (null: the default). */
    private record Pool(AddressSpan span, Duration lease) {
    }

    private final Dhcp6Bindings bindings = new Dhcp6Bindings();
    private Dhcp6Config config;
    private Dhcp6Answers answers;
    private List<Pool> pools;
    private Map<Duid, Dhcp6Config.Host> hostsById;
    private Set<InetAddress> reserved;

    public Dhcp6Server(Dhcp6Config config) {
        reconfigure(config);
    }

    public void reconfigure(Dhcp6Config next) {
        this.config = Objects.requireNonNull(next, "config");
        this.answers = new Dhcp6Answers(next);
        this.pools = next.ranges().stream().map(r -> new Pool(new AddressSpan(r.start(), r.end()), r.lease())).toList();
        Map<Duid, Dhcp6Config.Host> ids = new HashMap<>();
        Set<InetAddress> ips = new HashSet<>();
        for (Dhcp6Config.Host h : next.hosts()) {
            if (h.id() != null) {
                ids.putIfAbsent(h.id(), h); // the first of two hosts with one DUID wins, as the list order said before
            }
            ips.add(h.ip());
        }
        this.hostsById = ids;
        this.reserved = ips;
    }

    /** A restarted server takes back its durable leases (expired ones are skipped). */
    public void restore(List<Dhcp6Lease> leases, Instant now) {
        for (Dhcp6Lease l : leases) {
            if (!l.isExpired(now)) {
                bindings.put(l);
            }
        }
    }

    public List<Dhcp6Lease> leases() {
        return bindings.all();
    }

    public Dhcp6Decision handle(Dhcp6Message m, Instant now) {
        Optional<Duid> client = m.clientId();
        Optional<Duid> server = m.serverId();
        int type = m.type().code();
        if (type == Dhcp6MessageType.INFORMATION_REQUEST.code()) {
            if (server.isPresent() && !server.get().equals(config.serverId())) {
                return new Dhcp6Decision.Ignore("INFORMATION-REQUEST for another server");
            }
            return answer(answers.reply(m, List.of()), List.of(), List.of());
        }
        if (client.isEmpty()) {
            return new Dhcp6Decision.Ignore(m.type() + " without a client identifier");
        }
        boolean mustNameUs = type == Dhcp6MessageType.REQUEST.code() || type == Dhcp6MessageType.RENEW.code()
                || type == Dhcp6MessageType.RELEASE.code() || type == Dhcp6MessageType.DECLINE.code();
        boolean mustNotNameAnyone = type == Dhcp6MessageType.SOLICIT.code() || type == Dhcp6MessageType.REBIND.code()
                || type == Dhcp6MessageType.CONFIRM.code();
        if (mustNameUs && !server.map(config.serverId()::equals).orElse(false)) {
            return new Dhcp6Decision.Ignore(m.type() + " not for this server");
        }
        if (mustNotNameAnyone && server.isPresent()) {
            return new Dhcp6Decision.Ignore(m.type() + " with a server identifier");
        }
        bindings.expire(now);
        Duid id = client.get();
        Optional<Dhcp6Option.ClientFqdn> fqdn = m.option(Dhcp6Option.ClientFqdn.class);
        String name = nameFor(id, fqdn, knownName(id, m));
        if (type == Dhcp6MessageType.SOLICIT.code()) {
            boolean rapid = m.option(Dhcp6Option.RapidCommit.class).isPresent();
            List<Dhcp6Lease> bound = new ArrayList<>();
            List<Dhcp6Option> ias = assign(id, m, now, bound, rapid, name);
            answers.fqdn(fqdn, name).ifPresent(ias::add);
            if (rapid) {
                List<Dhcp6Option> extra = new ArrayList<>(ias);
                extra.add(new Dhcp6Option.RapidCommit());
                return answer(answers.reply(m, extra), bound, List.of());
            }
            return answer(answers.advertise(m, id, ias), List.of(), List.of());
        }
        if (type == Dhcp6MessageType.REQUEST.code()) {
            List<Dhcp6Lease> bound = new ArrayList<>();
            List<Dhcp6Option> ias = assign(id, m, now, bound, true, name);
            answers.fqdn(fqdn, name).ifPresent(ias::add);
            return answer(answers.reply(m, ias), bound, List.of());
        }
        if (type == Dhcp6MessageType.RENEW.code() || type == Dhcp6MessageType.REBIND.code()) {
            List<Dhcp6Lease> bound = new ArrayList<>();
            List<Dhcp6Option> ias = extend(id, m, now, bound, type == Dhcp6MessageType.REBIND.code(), name);
            answers.fqdn(fqdn, name).ifPresent(ias::add);
            return answer(answers.reply(m, ias), bound, List.of());
        }
        if (type == Dhcp6MessageType.RELEASE.code() || type == Dhcp6MessageType.DECLINE.code()) {
            boolean decline = type == Dhcp6MessageType.DECLINE.code();
            List<Dhcp6Lease> ended = new ArrayList<>();
            List<Dhcp6Option> out = new ArrayList<>();
            for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
                Dhcp6Lease l = bindings.get(id, ia.iaid());
                boolean matched = false;
                for (Dhcp6Option.IaAddress a : ia.addresses()) {
                    if (l != null && l.address().equals(a.address())) {
                        bindings.remove(l);
                        ended.add(l);
                        matched = true;
                        if (decline) {
                            bindings.decline(a.address(), now);
                        }
                    }
                }
                if (!matched) {
                    out.add(Dhcp6Answers.failed(ia.iaid(), Dhcp6Option.StatusCode.NO_BINDING, "no binding for this IA"));
                }
            }
            out.add(new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.SUCCESS, decline ? "declined" : "released"));
            return answer(answers.reply(m, out), List.of(), ended);
        }
        if (type == Dhcp6MessageType.CONFIRM.code()) {
            List<Dhcp6Option.IaAddress> addrs = m.all(Dhcp6Option.IaNa.class).stream().flatMap(ia -> ia.addresses().stream()).toList();
            if (addrs.isEmpty()) {
                return new Dhcp6Decision.Ignore("CONFIRM without addresses");
            }
            boolean onLink = addrs.stream().allMatch(a -> config.subnet().contains(a.address()));
            return answer(answers.reply(m, List.of(onLink
                    ? new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.SUCCESS, "all addresses on link")
                    : new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.NOT_ON_LINK, "an address is not on this link"))),
                    List.of(), List.of());
        }
        return new Dhcp6Decision.Ignore(m.type() + " is not a client message this server answers");
    }

    /** {@code commit}: a REPLY binds the addresses; an ADVERTISE only offers them and records nothing. */
    private List<Dhcp6Option> assign(Duid id, Dhcp6Message m, Instant now, List<Dhcp6Lease> bound, boolean commit, String name) {
        List<Dhcp6Option> out = new ArrayList<>();
        for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
            Optional<Inet6Address> addr = choose(id, ia.iaid(), now);
            if (addr.isEmpty()) {
                out.add(Dhcp6Answers.failed(ia.iaid(), Dhcp6Option.StatusCode.NO_ADDRS_AVAIL, "no addresses available"));
                continue;
            }
            Duration lease = leaseFor(id, addr.get());
            Dhcp6Lease l = new Dhcp6Lease(id, ia.iaid(), addr.get(), expiry(now, lease), name);
            if (commit) {
                bindings.put(l);
                bound.add(l);
            }
            out.add(Dhcp6Answers.ia(ia.iaid(), addr.get(), lease));
        }
        return out;
    }

    private List<Dhcp6Option> extend(Duid id, Dhcp6Message m, Instant now, List<Dhcp6Lease> bound, boolean rebind, String name) {
        List<Dhcp6Option> out = new ArrayList<>();
        for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
            Dhcp6Lease l = bindings.get(id, ia.iaid());
            List<Dhcp6Option> inner = new ArrayList<>();
            if (l == null) {
                if (!rebind) {
                    out.add(Dhcp6Answers.failed(ia.iaid(), Dhcp6Option.StatusCode.NO_BINDING, "no binding for this IA"));
                    continue;
                }
            } else {
                Duration lease = leaseFor(id, l.address());
                Dhcp6Lease renewed = new Dhcp6Lease(id, ia.iaid(), l.address(), expiry(now, lease), name != null ? name : l.hostname());
                bindings.put(renewed);
                bound.add(renewed);
                inner.add(Dhcp6Answers.address(l.address(), lease));
            }
            // addresses the client still holds that are not its binding: lifetimes 0, stop using them (§18.3.4)
            for (Dhcp6Option.IaAddress a : ia.addresses()) {
                if (l == null || !l.address().equals(a.address())) {
                    inner.add(new Dhcp6Option.IaAddress(a.address(), 0, 0, List.of()));
                }
            }
            Duration lease = l == null ? Duration.ZERO : leaseFor(id, l.address());
            out.add(new Dhcp6Option.IaNa(ia.iaid(), Dhcp6Answers.t(lease, 2), Dhcp6Answers.t(lease, 5), inner));
        }
        return out;
    }

    private Optional<Inet6Address> choose(Duid id, long iaid, Instant now) {
        Dhcp6Config.Host host = hostsById.get(id);
        if (host != null) {
            return Optional.of(host.ip());
        }
        Dhcp6Lease current = bindings.get(id, iaid);
        if (current != null) {
            return Optional.of(current.address());
        }
        long seed = (id.hashCode() * 31L + iaid) & 0x7fffffffffffffffL;
        for (Pool p : pools) {
            long size = p.span().size();
            if (size == 0) {
                continue;
            }
            long offset = seed % size;
            long probes = Math.min(size, MAX_PROBES);
            for (long i = 0; i < probes; i++) {
                // (offset + i) mod size, without overflowing a long
                long at = offset < size - i ? offset + i : offset - (size - i);
                Inet6Address a = p.span().at(at);
                if (free(a, now)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private boolean free(Inet6Address a, Instant now) {
        return !bindings.isLeased(a) && !a.equals(config.subnet().address()) && !reserved.contains(a)
                && !bindings.isDeclined(a, now);
    }

    private Duration leaseFor(Duid id, Inet6Address a) {
        Dhcp6Config.Host host = hostsById.get(id);
        if (host != null && host.lease() != null) {
            return host.lease();
        }
        for (Pool p : pools) {
            if (p.lease() != null && p.span().contains(a)) {
                return p.lease();
            }
        }
        return config.defaultLease();
    }

    /**
     * The name a binding carries (shown in the leases, AAAA and PTR in the network's DNS): its
     * reservation's, else the host part of the client's FQDN (RFC 4704; as dnsmasq, which drops a
     * domain part), unless the client asked for no DNS updates (N) or sent no usable name, else the
     * name its binding had.
     */
    private String nameFor(Duid id, Optional<Dhcp6Option.ClientFqdn> fqdn, String had) {
        Dhcp6Config.Host host = hostsById.get(id);
        if (host != null && host.name() != null) {
            return host.name();
        }
        if (fqdn.isPresent() && !fqdn.get().has(Dhcp6Option.ClientFqdn.N)) {
            String n = fqdn.get().name();
            String label = n.indexOf('.') < 0 ? n : n.substring(0, n.indexOf('.'));
            if (HOST_LABEL.matcher(label).matches()) {
                return label.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return had;
    }

    /** The name of one of the client's bindings the message names, if any has one. */
    private String knownName(Duid id, Dhcp6Message m) {
        for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
            Dhcp6Lease l = bindings.get(id, ia.iaid());
            if (l != null && l.hostname() != null) {
                return l.hostname();
            }
        }
        return null;
    }

    private static Instant expiry(Instant now, Duration lease) {
        return lease.compareTo(Dhcp6Config.INFINITE) >= 0 ? Instant.MAX : now.plus(lease);
    }

    private static Dhcp6Decision answer(Dhcp6Message m, List<Dhcp6Lease> bound, List<Dhcp6Lease> ended) {
        return new Dhcp6Decision.Answer(m, bound, ended);
    }
}
