package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages a DHCPv6 server sends, built from its configuration (sd-dhcp-server keeps these in a file
 * of their own too): ADVERTISE and REPLY with the server and client identifiers, the DNS servers and
 * domains; IA_NA and IA Address options with their lifetimes and T1/T2; the Client FQDN answer.
 */
final class Dhcp6Answers {
    private final Dhcp6Config config;

    Dhcp6Answers(Dhcp6Config config) {
        this.config = config;
    }

    Dhcp6Message advertise(Dhcp6Message request, Duid client, List<Dhcp6Option> body) {
        return new Dhcp6Message(Dhcp6MessageType.ADVERTISE, request.transactionId(), withIds(client, body));
    }

    Dhcp6Message reply(Dhcp6Message request, List<Dhcp6Option> body) {
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

    /**
     * The Client FQDN option of the answer when the client sent one (RFC 4704 §5.2): the name in use,
     * qualified with the network's domain, and S set, since vnetd's own DNS publishes it (O set too when
     * the client had not asked for that); N alone when there is no name to publish.
     */
    Optional<Dhcp6Option> fqdn(Optional<Dhcp6Option.ClientFqdn> asked, String name) {
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        if (name == null) {
            return Optional.of(new Dhcp6Option.ClientFqdn(Dhcp6Option.ClientFqdn.N, "", false));
        }
        int flags = Dhcp6Option.ClientFqdn.S | (asked.get().has(Dhcp6Option.ClientFqdn.S) ? 0 : Dhcp6Option.ClientFqdn.O);
        String domain = config.domains().isEmpty() ? null : config.domains().get(0);
        return Optional.of(new Dhcp6Option.ClientFqdn(flags, domain == null ? name : name + "." + domain, domain != null));
    }

    /** An IA_NA that failed with {@code status} (NoAddrsAvail, NoBinding): no addresses, T1 and T2 0. */
    static Dhcp6Option.IaNa failed(long iaid, int status, String message) {
        return new Dhcp6Option.IaNa(iaid, 0, 0, List.of(new Dhcp6Option.StatusCode(status, message)));
    }

    static Dhcp6Option.IaNa ia(long iaid, Inet6Address a, Duration lease) {
        return new Dhcp6Option.IaNa(iaid, t(lease, 2), t(lease, 5), List.of(address(a, lease)));
    }

    static Dhcp6Option.IaAddress address(Inet6Address a, Duration lease) {
        return new Dhcp6Option.IaAddress(a, seconds(lease), seconds(lease), List.of());
    }

    private static long seconds(Duration d) {
        return Math.min(d.toSeconds(), Dhcp6Option.INFINITE);
    }

    /** T1 at 1/2, T2 at 4/5 of the lease (RFC 8415 §21.4 recommends 0.5 and 0.8); infinite stays infinite. */
    static long t(Duration lease, int tenths) {
        long s = seconds(lease);
        return s == Dhcp6Option.INFINITE ? s : s * (tenths == 2 ? 5 : 8) / 10;
    }
}
