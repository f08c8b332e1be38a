package org.vnetd.daemon.driver;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.LeaseSource;
import org.vnetd.core.driver.ServiceHealth;
import org.vnetd.core.plan.ServiceConfigs;
import org.vnetd.core.dhcp6.Dhcp6Config;
import org.vnetd.core.ra.RaConfig;
import org.vnetd.core.rpc.Lease;
import org.vnetd.core.rpc.ServiceStats;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.xml.model.NetworkDef;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.time.BootClock;
import org.vnetd.daemon.dhcp.DhcpService;
import org.vnetd.daemon.dhcp.DhcpWarmUp;
import org.vnetd.daemon.dhcp.DurableLeaseStore;
import org.vnetd.daemon.dhcp.LeaseRecordJson;
import org.vnetd.daemon.dns.DnsService;
import org.vnetd.daemon.dns.UpstreamSockets;
import org.vnetd.daemon.dhcp6.Dhcp6Service;
import org.vnetd.daemon.ra.RaService;
import org.vnetd.daemon.tftp.TftpService;

import io.netty.channel.EventLoopGroup;

/**
 * The in-process services of running networks (one DHCP server and one DNS forwarder each, a TFTP
 * server where {@code <tftp root>} asks for one, router advertisements where it has IPv6 addresses), started and stopped by the driver's steps. DHCP
 * leases feed the DNS service's guest names ({@link GuestNames}); VM ports' reservations join the DHCP
 * configuration ({@link PortReservations}); {@link LeaseListing} lists the leases.
 *
 * <p>A service that cannot be started again when a restarted daemon adopts its network, and a DHCP
 * server whose lease log cannot be written, make the network degraded ({@link ServiceHealth}); the
 * first is retried in the background ({@link ServiceRepairs}), the second retries by itself.
 */
public final class NetworkServices implements LeaseSource, ServiceHealth {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkServices.class);

    private final Path leaseDir;
    private final Path resolvConf;
    private final EventLoopGroup group;
    private final Clock clock;
    private final LeaseRecordJson leaseJson; // one per daemon: serializers built once
    private final com.fasterxml.jackson.databind.ObjectMapper lease6Json = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Map<String, DhcpService> dhcp = new ConcurrentHashMap<>();
    private final Map<String, DnsService> dns = new ConcurrentHashMap<>();
    private final UpstreamSockets upstreams;
    private final Map<String, TftpService> tftp = new ConcurrentHashMap<>();
    private final Map<String, RaService> ra = new ConcurrentHashMap<>();
    private final Map<String, Dhcp6Service> dhcp6 = new ConcurrentHashMap<>();
    private final Map<String, DhcpConfig> dhcpConfigs = new ConcurrentHashMap<>();
    private final PortReservations portHosts = new PortReservations();
    private final LeaseListing listing;
    private final ServiceRepairs repairs;
    private final ServiceSockets sockets;
    private volatile Consumer<String> healthListener = network -> { };

    public NetworkServices(Path leaseDir, Path resolvConf, EventLoopGroup group, Clock clock) {
        this(leaseDir, resolvConf, group, clock, ServiceSockets.none());
    }

    /** @param sockets the services' sockets systemd kept across a daemon restart, and where new ones are kept */
    public NetworkServices(Path leaseDir, Path resolvConf, EventLoopGroup group, Clock clock, ServiceSockets sockets) {
        this.sockets = sockets;
        this.leaseDir = leaseDir;
        this.resolvConf = resolvConf;
        this.group = group;
        this.clock = clock;
        // with the lease clock, expiries are kept in boot time too: a wall-clock step does not move them
        this.leaseJson = new LeaseRecordJson(clock instanceof BootClock boot ? boot : null);
        this.upstreams = new UpstreamSockets(group);
        this.listing = new LeaseListing(clock);
        this.repairs = new ServiceRepairs(network -> healthListener.accept(network));
    }

    /** Told the name of a running network whose services' health changed ({@link #problem}); must not block. */
    public void onHealthChange(Consumer<String> listener) {
        healthListener = listener;
    }

    @Override
    public Optional<String> problem(String network) {
        List<String> why = new ArrayList<>(repairs.problems(network));
        DhcpService s = dhcp.get(network);
        if (s != null) {
            s.problem().ifPresent(p -> why.add("DHCP: " + p));
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    /** Adoption: as {@link #startDns}, but a failure leaves the network degraded and is retried. */
    void adoptDns(NetworkDef def) {
        repairs.adopt(def.name(), "DNS", () -> startDns(def));
    }

    void adoptDhcp(NetworkDef def, DhcpConfig config) {
        repairs.adopt(def.name(), "DHCP", () -> startDhcp(def, config));
    }

    void adoptTftp(NetworkDef def, TftpConfig config) {
        repairs.adopt(def.name(), "TFTP", () -> startTftp(def, config));
    }

    /**
     * On a background thread, runs one DHCP exchange in memory and one loopback datagram exchange on
     * each event loop (see {@link DhcpWarmUp}), so that the first guest to ask for an address does not
     * wait for the JVM's and the loops' first use of that code.
     */
    public void warmUpDhcp() {
        DhcpWarmUp.startInBackground(leaseJson, group);
    }

    void startDns(NetworkDef def) {
        String name = def.name();
        synchronized (repairs.guard(name)) {
            startDnsGuarded(def);
        }
    }

    private void startDnsGuarded(NetworkDef def) {
        String name = def.name();
        stopDnsGuarded(name);
        DnsService s = DnsService.create(name, group, resolvConf, upstreams, sockets);
        // DNS starts before DHCP, which brings the guests' names from its lease file; the first queries
        // (in a restarted daemon, those that queued in the sockets systemd kept) must find them already
        Map<InetAddress, String> guests = dhcp.containsKey(name) ? Map.of()
                : ServiceConfigs.dhcp(def).map(cfg -> GuestNames.unexpired(DurableLeaseStore.peek(leaseDir, cfg.interfaceName(), clock,
                        leaseJson), clock)).orElse(Map.of());
        s.start(ServiceConfigs.dns(def), guests);
        dns.put(name, s);
    }

    void stopDns(String name) {
        synchronized (repairs.guard(name)) {
            repairs.stopped(name, "DNS");
            stopDnsGuarded(name);
        }
    }

    private void stopDnsGuarded(String name) {
        DnsService s = dns.remove(name);
        if (s != null) {
            s.stop();
        }
    }

    void startDhcp(NetworkDef def, DhcpConfig config) {
        synchronized (repairs.guard(def.name())) {
            startDhcpGuarded(def, config);
        }
    }

    private void startDhcpGuarded(NetworkDef def, DhcpConfig config) {
        String name = def.name();
        stopDhcpGuarded(name);
        DhcpService s = new DhcpService(leaseDir, clock, group, leaseJson, sockets);
        s.onHealthChange(() -> healthListener.accept(name));
        DnsService names = dns.get(name);
        if (names != null) {
            s.addLeaseListener(GuestNames.following(names));
        }
        s.start(portHosts.merged(name, config));
        dhcp.put(name, s);
        dhcpConfigs.put(name, config);
        reloadGuestNames(name);
    }

    /** The network's DNS takes its guests' names from the leases both DHCP servers hold ({@link GuestNames}). */
    private void reloadGuestNames(String name) {
        DnsService names = dns.get(name);
        if (names != null) {
            names.replaceGuests(GuestNames.held(dhcp.get(name), dhcp6.get(name)));
        }
    }

    void stopDhcp(String name) {
        synchronized (repairs.guard(name)) {
            repairs.stopped(name, "DHCP");
            stopDhcpGuarded(name);
        }
    }

    private void stopDhcpGuarded(String name) {
        DhcpService s = dhcp.remove(name);
        dhcpConfigs.remove(name);
        if (s != null) {
            s.stop();
        }
    }

    void startTftp(NetworkDef def, TftpConfig config) {
        synchronized (repairs.guard(def.name())) {
            startTftpGuarded(def, config);
        }
    }

    private void startTftpGuarded(NetworkDef def, TftpConfig config) {
        String name = def.name();
        stopTftpGuarded(name);
        TftpService s = new TftpService(config, group);
        s.start();
        tftp.put(name, s);
    }

    void stopTftp(String name) {
        synchronized (repairs.guard(name)) {
            repairs.stopped(name, "TFTP");
            stopTftpGuarded(name);
        }
    }

    private void stopTftpGuarded(String name) {
        TftpService s = tftp.remove(name);
        if (s != null) {
            s.stop();
        }
    }

    private static final String RA = "router advertisements";
    private static final String DHCP6 = "DHCPv6";

    void startDhcp6(NetworkDef def, Dhcp6Config config) {
        synchronized (repairs.guard(def.name())) {
            stopDhcp6Guarded(def.name());
            Dhcp6Service s = new Dhcp6Service(leaseDir, def.name(), clock, group, lease6Json, sockets);
            DnsService names = dns.get(def.name());
            if (names != null) {
                s.addLeaseListener(GuestNames.following6(names));
            }
            s.start(config);
            dhcp6.put(def.name(), s);
            reloadGuestNames(def.name());
        }
    }

    void adoptDhcp6(NetworkDef def, Dhcp6Config config) {
        repairs.adopt(def.name(), DHCP6, () -> startDhcp6(def, config));
    }

    void stopDhcp6(String name) {
        synchronized (repairs.guard(name)) {
            repairs.stopped(name, DHCP6);
            stopDhcp6Guarded(name);
        }
    }

    private void stopDhcp6Guarded(String name) {
        Dhcp6Service s = dhcp6.remove(name);
        if (s != null) {
            s.stop();
        }
    }

    void startRa(NetworkDef def, RaConfig config) {
        synchronized (repairs.guard(def.name())) {
            stopRaGuarded(def.name(), false);
            RaService s = new RaService(config, sockets);
            s.start();
            ra.put(def.name(), s);
        }
    }

    void adoptRa(NetworkDef def, RaConfig config) {
        repairs.adopt(def.name(), RA, () -> startRa(def, config));
    }

    /** {@code withdraw}: the network goes away, so guests are told this is no longer their router. */
    void stopRa(String name, boolean withdraw) {
        synchronized (repairs.guard(name)) {
            repairs.stopped(name, RA);
            stopRaGuarded(name, withdraw);
        }
    }

    private void stopRaGuarded(String name, boolean withdraw) {
        RaService s = ra.remove(name);
        if (s != null) {
            s.stop(withdraw);
        }
    }

    /** The counters of {@code network}'s running guest services (network.serviceStats). */
    public ServiceStats stats(String network) {
        return ServiceCounters.of(network, dhcp.get(network), dhcp6.get(network), ra.get(network));
    }

    /** A live net-update: the running services take the new configuration without a restart. */
    void reconfigure(NetworkDef def) {
        String name = def.name();
        // a service waiting for a retry starts with the new configuration
        repairs.update(name, "DNS", () -> startDns(def));
        ServiceConfigs.dhcp(def).ifPresent(cfg -> repairs.update(name, "DHCP", () -> startDhcp(def, cfg)));
        DnsService d = dns.get(name);
        if (d != null) {
            d.reconfigure(ServiceConfigs.dns(def));
        }
        ServiceConfigs.ra(def).ifPresent(cfg -> repairs.update(name, RA, () -> startRa(def, cfg)));
        ServiceConfigs.dhcp6(def).ifPresent(cfg -> {
            repairs.update(name, DHCP6, () -> startDhcp6(def, cfg));
            Dhcp6Service d6 = dhcp6.get(name);
            if (d6 != null) {
                d6.reconfigure(cfg);
            }
        });
        RaService r = ra.get(name);
        if (r != null) {
            // a changed <range> lease changes the advertised prefix lifetimes
            ServiceConfigs.ra(def).filter(c -> !c.equals(r.config())).ifPresent(c -> startRa(def, c));
        }
        DhcpService s = dhcp.get(name);
        if (s != null) {
            ServiceConfigs.dhcp(def).ifPresent(cfg -> {
                s.reconfigure(portHosts.merged(name, cfg));
                dhcpConfigs.put(name, cfg);
            });
        }
    }

    /**
     * Sets the reservations VM ports hold on {@code network}; they apply now if its DHCP server runs and
     * whenever it (re)starts. A reservation that clashes with the network's hosts is refused
     * (XML_VALIDATION) and nothing changes.
     */
    public synchronized void setPortReservations(String network, List<DhcpConfig.StaticHost> hosts) {
        List<DhcpConfig.StaticHost> before = portHosts.set(network, hosts);
        DhcpService s = dhcp.get(network);
        DhcpConfig base = dhcpConfigs.get(network);
        if (s != null && base != null) {
            try {
                s.reconfigure(portHosts.merged(network, base));
            } catch (RuntimeException e) {
                portHosts.restore(network, before);
                throw e;
            }
        }
    }

    /** Ends the DHCP leases of {@code mac} on a running network (0 when it runs no DHCP). */
    public int releaseLeases(String network, org.vnetd.core.net.MacAddress mac) {
        DhcpService s = dhcp.get(network);
        return s == null ? 0 : s.releaseMac(mac);
    }

    @Override
    public List<Lease> leases(String network) {
        return listing.of(dhcp.get(network), dhcpConfigs.get(network), dhcp6.get(network));
    }

    /** Daemon shutdown: stop serving (leases are flushed), leave the kernel state to the next daemon. */
    public void stopAll() {
        repairs.close();
        stopEach("DHCP", dhcp.keySet(), this::stopDhcp);
        stopEach(DHCP6, dhcp6.keySet(), this::stopDhcp6);
        stopEach(RA, ra.keySet(), n -> stopRa(n, false));
        stopEach("TFTP", tftp.keySet(), this::stopTftp);
        stopEach("DNS", dns.keySet(), this::stopDns);
        upstreams.close();
    }

    /** Stops each running one; a failure is logged and the others still stop. */
    private static void stopEach(String service, Set<String> running, Consumer<String> stop) {
        for (String n : List.copyOf(running)) {
            try {
                stop.accept(n);
            } catch (RuntimeException e) {
                LOG.warn("stopping {} of {}: {}", service, n, e.getMessage());
            }
        }
    }
}
