package org.vnetd.core.dhcp6;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The stateful DHCPv6 server of one bridge (RFC 8415 §18.3), without sockets: {@link #handle} takes a
 * decoded client message and returns the answer and the lease changes the caller must make durable
 * before it sends the answer. Addresses come from the client's {@code <host id>} reservation, its
 * current binding, or the ranges, starting at an offset hashed from DUID and IAID so a returning
 * client tends to get its old address back. Not thread-safe: one transport thread owns it.
 */
public final class Dhcp6Server {
    /** How long a declined address stays out of use (RFC 8415 §18.3.8 leaves it to the server). */
    static final Duration DECLINE_HOLD = Duration.ofMinutes(10);
    /** At most this many addresses are looked at per allocation, so a huge range costs bounded time. */
    static final int MAX_PROBES = 4096;

    private record Binding(Duid client, long iaid) {
    }

    private final Map<Binding, Dhcp6Lease> byBinding = new HashMap<>();
    private final Map<InetAddress, Dhcp6Lease> byAddress = new HashMap<>();
    private final Map<InetAddress, Instant> declined = new HashMap<>();
    private Dhcp6Config config;
    private Instant nextExpiry = Instant.MIN;

    public Dhcp6Server(Dhcp6Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public void reconfigure(Dhcp6Config next) {
        this.config = Objects.requireNonNull(next, "config");
    }

    /** A restarted server takes back its durable leases (expired ones are skipped). */
    public void restore(List<Dhcp6Lease> leases, Instant now) {
        for (Dhcp6Lease l : leases) {
            if (!l.isExpired(now)) {
                put(l);
            }
        }
    }

    public List<Dhcp6Lease> leases() {
        return List.copyOf(byBinding.values());
    }

    public Dhcp6Decision handle(Dhcp6Message m, Instant now) {
        Optional<Duid> client = m.clientId();
        Optional<Duid> server = m.serverId();
        int type = m.type().code();
        if (type == Dhcp6MessageType.INFORMATION_REQUEST.code()) {
            if (server.isPresent() && !server.get().equals(config.serverId())) {
                return new Dhcp6Decision.Ignore("INFORMATION-REQUEST for another server");
            }
            return answer(reply(m, List.of()), List.of(), List.of());
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
        expire(now);
        Duid id = client.get();
        if (type == Dhcp6MessageType.SOLICIT.code()) {
            boolean rapid = m.option(Dhcp6Option.RapidCommit.class).isPresent();
            List<Dhcp6Lease> bound = new ArrayList<>();
            List<Dhcp6Option> ias = assign(id, m, now, bound, rapid);
            if (rapid) {
                List<Dhcp6Option> extra = new ArrayList<>(ias);
                extra.add(new Dhcp6Option.RapidCommit());
                return answer(reply(m, extra), bound, List.of());
            }
            return answer(new Dhcp6Message(Dhcp6MessageType.ADVERTISE, m.transactionId(), withIds(id, ias)), List.of(), List.of());
        }
        if (type == Dhcp6MessageType.REQUEST.code()) {
            List<Dhcp6Lease> bound = new ArrayList<>();
            return answer(reply(m, assign(id, m, now, bound, true)), bound, List.of());
        }
        if (type == Dhcp6MessageType.RENEW.code() || type == Dhcp6MessageType.REBIND.code()) {
            List<Dhcp6Lease> bound = new ArrayList<>();
            return answer(reply(m, extend(id, m, now, bound, type == Dhcp6MessageType.REBIND.code())), bound, List.of());
        }
        if (type == Dhcp6MessageType.RELEASE.code() || type == Dhcp6MessageType.DECLINE.code()) {
            boolean decline = type == Dhcp6MessageType.DECLINE.code();
            List<Dhcp6Lease> ended = new ArrayList<>();
            List<Dhcp6Option> out = new ArrayList<>();
            for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
                Dhcp6Lease l = byBinding.get(new Binding(id, ia.iaid()));
                boolean matched = false;
                for (Dhcp6Option.IaAddress a : ia.addresses()) {
                    if (l != null && l.address().equals(a.address())) {
                        remove(l);
                        ended.add(l);
                        matched = true;
                        if (decline) {
                            declined.put(a.address(), now.plus(DECLINE_HOLD));
                        }
                    }
                }
                if (!matched) {
                    out.add(new Dhcp6Option.IaNa(ia.iaid(), 0, 0,
                            List.of(new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.NO_BINDING, "no binding for this IA"))));
                }
            }
            out.add(new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.SUCCESS, decline ? "declined" : "released"));
            return answer(reply(m, out), List.of(), ended);
        }
        if (type == Dhcp6MessageType.CONFIRM.code()) {
            List<Dhcp6Option.IaAddress> addrs = m.all(Dhcp6Option.IaNa.class).stream().flatMap(ia -> ia.addresses().stream()).toList();
            if (addrs.isEmpty()) {
                return new Dhcp6Decision.Ignore("CONFIRM without addresses");
            }
            boolean onLink = addrs.stream().allMatch(a -> config.subnet().contains(a.address()));
            return answer(reply(m, List.of(onLink
                    ? new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.SUCCESS, "all addresses on link")
                    : new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.NOT_ON_LINK, "an address is not on this link"))),
                    List.of(), List.of());
        }
        return new Dhcp6Decision.Ignore(m.type() + " is not a client message this server answers");
    }

    /** {@code commit}: a REPLY binds the addresses; an ADVERTISE only offers them and records nothing. */
    private List<Dhcp6Option> assign(Duid id, Dhcp6Message m, Instant now, List<Dhcp6Lease> bound, boolean commit) {
        List<Dhcp6Option> out = new ArrayList<>();
        for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
            Optional<Inet6Address> addr = choose(id, ia.iaid(), now);
            if (addr.isEmpty()) {
                out.add(new Dhcp6Option.IaNa(ia.iaid(), 0, 0,
                        List.of(new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.NO_ADDRS_AVAIL, "no addresses available"))));
                continue;
            }
            Duration lease = leaseFor(id, addr.get());
            Dhcp6Lease l = new Dhcp6Lease(id, ia.iaid(), addr.get(), expiry(now, lease), hostname(id));
            if (commit) {
                put(l);
                bound.add(l);
            }
            out.add(ia(ia.iaid(), addr.get(), lease));
        }
        return out;
    }

    private List<Dhcp6Option> extend(Duid id, Dhcp6Message m, Instant now, List<Dhcp6Lease> bound, boolean rebind) {
        List<Dhcp6Option> out = new ArrayList<>();
        for (Dhcp6Option.IaNa ia : m.all(Dhcp6Option.IaNa.class)) {
            Dhcp6Lease l = byBinding.get(new Binding(id, ia.iaid()));
            List<Dhcp6Option> inner = new ArrayList<>();
            if (l == null) {
                if (!rebind) {
                    out.add(new Dhcp6Option.IaNa(ia.iaid(), 0, 0,
                            List.of(new Dhcp6Option.StatusCode(Dhcp6Option.StatusCode.NO_BINDING, "no binding for this IA"))));
                    continue;
                }
            } else {
                Duration lease = leaseFor(id, l.address());
                Dhcp6Lease renewed = new Dhcp6Lease(id, ia.iaid(), l.address(), expiry(now, lease), l.hostname());
                put(renewed);
                bound.add(renewed);
                inner.add(address(l.address(), lease));
            }
            // addresses the client still holds that are not its binding: lifetimes 0, stop using them (§18.3.4)
            for (Dhcp6Option.IaAddress a : ia.addresses()) {
                if (l == null || !l.address().equals(a.address())) {
                    inner.add(new Dhcp6Option.IaAddress(a.address(), 0, 0, List.of()));
                }
            }
            Duration lease = l == null ? Duration.ZERO : leaseFor(id, l.address());
            out.add(new Dhcp6Option.IaNa(ia.iaid(), t(lease, 2), t(lease, 5), inner));
        }
        return out;
    }

    private Optional<Inet6Address> choose(Duid id, long iaid, Instant now) {
        for (Dhcp6Config.Host h : config.hosts()) {
            if (id.equals(h.id())) {
                return Optional.of(h.ip());
            }
        }
        Dhcp6Lease current = byBinding.get(new Binding(id, iaid));
        if (current != null) {
            return Optional.of(current.address());
        }
        long seed = (Arrays.hashCode(id.bytes()) * 31L + iaid) & 0x7fffffffffffffffL;
        for (Dhcp6Config.Range r : config.ranges()) {
            BigInteger start = new BigInteger(1, r.start().getAddress());
            BigInteger size = new BigInteger(1, r.end().getAddress()).subtract(start).add(BigInteger.ONE);
            if (size.signum() <= 0) {
                continue;
            }
            BigInteger offset = BigInteger.valueOf(seed).mod(size);
            long probes = Math.min(size.min(BigInteger.valueOf(MAX_PROBES)).longValue(), MAX_PROBES);
            for (long i = 0; i < probes; i++) {
                Inet6Address a = toAddress(start.add(offset.add(BigInteger.valueOf(i)).mod(size)));
                if (free(a, now)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private boolean free(Inet6Address a, Instant now) {
        if (byAddress.containsKey(a) || a.equals(config.subnet().address())) {
            return false;
        }
        Instant held = declined.get(a);
        if (held != null && held.isAfter(now)) {
            return false;
        }
        return config.hosts().stream().noneMatch(h -> h.ip().equals(a));
    }

    private Duration leaseFor(Duid id, Inet6Address a) {
        for (Dhcp6Config.Host h : config.hosts()) {
            if (id.equals(h.id()) && h.lease() != null) {
                return h.lease();
            }
        }
        for (Dhcp6Config.Range r : config.ranges()) {
            BigInteger x = new BigInteger(1, a.getAddress());
            if (r.lease() != null && x.compareTo(new BigInteger(1, r.start().getAddress())) >= 0
                    && x.compareTo(new BigInteger(1, r.end().getAddress())) <= 0) {
                return r.lease();
            }
        }
        return config.defaultLease();
    }

    private String hostname(Duid id) {
        return config.hosts().stream().filter(h -> id.equals(h.id())).map(Dhcp6Config.Host::name).filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    private static Instant expiry(Instant now, Duration lease) {
        return lease.compareTo(Dhcp6Config.INFINITE) >= 0 ? Instant.MAX : now.plus(lease);
    }

    private static long seconds(Duration d) {
        return Math.min(d.toSeconds(), Dhcp6Option.INFINITE);
    }

    /** T1 at 1/2, T2 at 4/5 of the lease (RFC 8415 §21.4 recommends 0.5 and 0.8); infinite stays infinite. */
    private static long t(Duration lease, int tenths) {
        long s = seconds(lease);
        return s == Dhcp6Option.INFINITE ? s : s * (tenths == 2 ? 5 : 8) / 10;
    }

    private static Dhcp6Option.IaNa ia(long iaid, Inet6Address a, Duration lease) {
        return new Dhcp6Option.IaNa(iaid, t(lease, 2), t(lease, 5), List.of(address(a, lease)));
    }

    private static Dhcp6Option.IaAddress address(Inet6Address a, Duration lease) {
        return new Dhcp6Option.IaAddress(a, seconds(lease), seconds(lease), List.of());
    }

    private Dhcp6Message reply(Dhcp6Message request, List<Dhcp6Option> body) {
        return new Dhcp6Message(Dhcp6MessageType.REPLY, request.transactionId(),
                withIds(request.clientId().orElse(null), body));
    }

    /** Server and client ids around {@code body}, then DNS servers and domains, sent whether asked for or not (as dnsmasq does). */
    private List<Dhcp6Option> withIds(Duid client, List<Dhcp6Option> body) {
        List<Dhcp6Option> out = new ArrayList<>();
        out.add(new Dhcp6Option.ServerId(config.serverId()));
        if (client != null) {
            out.add(new Dhcp6Option.ClientId(client));
        }
        out.addAll(body);
        if (!config.dnsServers().isEmpty()) {
            out.add(new Dhcp6Option.DnsServers(config.dnsServers()));
        }
        if (!config.domains().isEmpty()) {
            out.add(new Dhcp6Option.DomainList(config.domains()));
        }
        return out;
    }

    private static Dhcp6Decision answer(Dhcp6Message m, List<Dhcp6Lease> bound, List<Dhcp6Lease> ended) {
        return new Dhcp6Decision.Answer(m, bound, ended);
    }

    /**
     * Drops expired bindings and declines, at most once a second: a scan of every binding per message
     * made each answer cost O(leases). Meanwhile an expired binding may still be renewed, and its
     * address is not handed to another client for up to a second.
     */
    private void expire(Instant now) {
        if (now.isBefore(nextExpiry)) {
            return;
        }
        nextExpiry = now.plusSeconds(1);
        byBinding.values().removeIf(l -> {
            if (l.isExpired(now)) {
                byAddress.remove(l.address());
                return true;
            }
            return false;
        });
        declined.values().removeIf(until -> !until.isAfter(now));
    }

    private void put(Dhcp6Lease l) {
        Dhcp6Lease old = byBinding.put(new Binding(l.client(), l.iaid()), l);
        if (old != null) {
            byAddress.remove(old.address());
        }
        byAddress.put(l.address(), l);
    }

    private void remove(Dhcp6Lease l) {
        byBinding.remove(new Binding(l.client(), l.iaid()));
        byAddress.remove(l.address());
    }

    private static Inet6Address toAddress(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] a = new byte[16];
        int n = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - n, a, 16 - n, n);
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }
}
