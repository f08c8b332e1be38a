package org.vnetd.core.dhcp6;

import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

import org.vnetd.core.net.Octets;

/** One DHCPv6 option (RFC 8415 §21, RFC 3646 for DNS, RFC 4704 for the client's FQDN); options inside IA_NA and IAADDR nest. */
public sealed interface Dhcp6Option {
    int CLIENTID = 1;
    int SERVERID = 2;
    int IA_NA = 3;
    int IAADDR = 5;
    int ORO = 6;
    int PREFERENCE = 7;
    int ELAPSED_TIME = 8;
    int STATUS_CODE = 13;
    int RAPID_COMMIT = 14;
    int DNS_SERVERS = 23;
    int DOMAIN_LIST = 24;
    int CLIENT_FQDN = 39;

    /** Lifetimes and T1/T2 of all ones mean "infinity" (RFC 8415 §7.7). */
    long INFINITE = 0xffffffffL;

    int code();

    record ClientId(Duid duid) implements Dhcp6Option {
        public ClientId {
            Objects.requireNonNull(duid, "duid");
        }

        public int code() {
            return CLIENTID;
        }
    }

    record ServerId(Duid duid) implements Dhcp6Option {
        public ServerId {
            Objects.requireNonNull(duid, "duid");
        }

        public int code() {
            return SERVERID;
        }
    }

    /** An identity association for non-temporary addresses: the client's IAID, T1, T2 (seconds) and its addresses. */
    record IaNa(long iaid, long t1, long t2, List<Dhcp6Option> options) implements Dhcp6Option {
        public IaNa {
            u32("IAID", iaid);
            u32("T1", t1);
            u32("T2", t2);
            options = List.copyOf(options);
        }

        public List<IaAddress> addresses() {
            return options.stream().filter(o -> o instanceof IaAddress).map(o -> (IaAddress) o).toList();
        }

        public int code() {
            return IA_NA;
        }
    }

    record IaAddress(Inet6Address address, long preferredLifetime, long validLifetime, List<Dhcp6Option> options)
            implements Dhcp6Option {
        public IaAddress {
            Objects.requireNonNull(address, "address");
            u32("preferred lifetime", preferredLifetime);
            u32("valid lifetime", validLifetime);
            options = List.copyOf(options);
        }

        public int code() {
            return IAADDR;
        }
    }

    /** The option codes a client asks for. */
    record OptionRequest(List<Integer> codes) implements Dhcp6Option {
        public OptionRequest {
            codes = List.copyOf(codes);
        }

        public int code() {
            return ORO;
        }
    }

    record Preference(int value) implements Dhcp6Option {
        public Preference {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("preference " + value + " is not 0-255");
            }
        }

        public int code() {
            return PREFERENCE;
        }
    }

    /** Hundredths of a second since the client began this exchange. */
    record ElapsedTime(int hundredths) implements Dhcp6Option {
        public ElapsedTime {
            if (hundredths < 0 || hundredths > 0xffff) {
                throw new IllegalArgumentException("elapsed time " + hundredths + " does not fit 16 bits");
            }
        }

        public int code() {
            return ELAPSED_TIME;
        }
    }

    /** RFC 8415 §21.13: 0 Success, 1 UnspecFail, 2 NoAddrsAvail, 3 NoBinding, 4 NotOnLink, 5 UseMulticast. */
    record StatusCode(int status, String message) implements Dhcp6Option {
        public static final int SUCCESS = 0;
        public static final int UNSPEC_FAIL = 1;
        public static final int NO_ADDRS_AVAIL = 2;
        public static final int NO_BINDING = 3;
        public static final int NOT_ON_LINK = 4;
        public static final int USE_MULTICAST = 5;

        public StatusCode {
            if (status < 0 || status > 0xffff) {
                throw new IllegalArgumentException("status " + status + " does not fit 16 bits");
            }
            Objects.requireNonNull(message, "message");
        }

        public int code() {
            return STATUS_CODE;
        }
    }

    record RapidCommit() implements Dhcp6Option {
        public int code() {
            return RAPID_COMMIT;
        }
    }

    record DnsServers(List<Inet6Address> servers) implements Dhcp6Option {
        public DnsServers {
            servers = List.copyOf(servers);
        }

        public int code() {
            return DNS_SERVERS;
        }
    }

    /** Domain search list, names without the trailing dot. */
    record DomainList(List<String> domains) implements Dhcp6Option {
        public DomainList {
            domains = List.copyOf(domains);
        }

        public int code() {
            return DOMAIN_LIST;
        }
    }

    /**
     * The client's FQDN (RFC 4704): flags {@link #S} (the server should do the AAAA update), {@link #O}
     * (the server overrode the client's S) and {@link #N} (no DNS updates), and a name, fully qualified
     * (ends with the root label) or partial (a host name the server qualifies); empty: the client asks
     * the server to pick one. Names without the trailing dot.
     */
    record ClientFqdn(int flags, String name, boolean fullyQualified) implements Dhcp6Option {
        public static final int S = 0x1;
        public static final int O = 0x2;
        public static final int N = 0x4;

        public ClientFqdn {
            if (flags < 0 || flags > 0xff) {
                throw new IllegalArgumentException("FQDN flags " + flags + " do not fit 8 bits");
            }
            Objects.requireNonNull(name, "name");
        }

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        public int code() {
            return CLIENT_FQDN;
        }
    }

    /** An option this codec does not interpret, kept whole. */
    record Unknown(int code, Octets data) implements Dhcp6Option {
        public Unknown {
            if (code < 0 || code > 0xffff) {
                throw new IllegalArgumentException("option code " + code + " does not fit 16 bits");
            }
            Objects.requireNonNull(data);
        }
    }

    private static void u32(String what, long v) {
        Octets.requireU32(what, v);
    }
}
