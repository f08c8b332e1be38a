package org.vnetd.daemon.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.dns.DnsEngine;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.activation.ServiceSockets;

/**
 * The DNS server of one running network: listeners on the network's addresses (port 53, UDP and
 * TCP, answering only what arrives on the network's bridge or from the host itself, see
 * {@link DnsListener}) and the engine that answers; upstream queries go out through the daemon's
 * shared {@link UpstreamSockets}. {@link #reconfigure} changes answers at
 * once and keeps every socket whose address is still wanted open, so a net-update or a reload
 * never makes guests time out. Sockets belong to the network namespace of the thread that calls
 * {@link #start} or {@link #reconfigure}.
 */
public final class DnsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DnsService.class);
    private final String network;
    private final EventLoopGroup group;
    private final int port;
    private final DnsEngine engine;
    private final DnsStats.Counters counters = new DnsStats.Counters();
    private final AnswerMemo memo = new AnswerMemo();
    private final Map<InetAddress, DnsListener> listeners = new LinkedHashMap<>();
    private final UpstreamSockets upstreams;
    /** Whether {@link #upstreams} is this service's own (closed with it) or the daemon's shared one. */
    private final boolean ownUpstreams;
    private final ServiceSockets sockets;
    private QueryProcessor processor;
    /** The bridge the open listeners are bound to. */
    private String bridge;

    /**
     * @param network         the network's name, for messages
     * @param group           an epoll event loop group the daemon owns (the service never shuts it down)
     * @param systemResolvers the host's resolvers, e.g. {@link ResolvConfWatcher#of}{@code (Path.of("/etc/resolv.conf"))}
     * @param port            53, except in tests
     * @param upstreams       the daemon's shared upstream client, or null for one of this service's own
     */
    public DnsService(String network, EventLoopGroup group, Supplier<List<InetSocketAddress>> systemResolvers, int port,
                      UpstreamSockets upstreams) {
        this(network, group, systemResolvers, port, upstreams, ServiceSockets.none());
    }

    /** @param sockets the sockets systemd kept across a daemon restart, and where new ones are kept */
    public DnsService(String network, EventLoopGroup group, Supplier<List<InetSocketAddress>> systemResolvers, int port,
                      UpstreamSockets upstreams, ServiceSockets sockets) {
        this.sockets = sockets;
        this.network = network;
        this.group = group;
        this.port = port;
        this.engine = new DnsEngine(DnsConfig.disabled(), systemResolvers, System::nanoTime);
        this.ownUpstreams = upstreams == null;
        this.upstreams = upstreams == null ? new UpstreamSockets(group) : upstreams;
    }

    /** A service with an upstream client of its own (tests, tools). */
    public DnsService(String network, EventLoopGroup group, Supplier<List<InetSocketAddress>> systemResolvers, int port) {
        this(network, group, systemResolvers, port, null);
    }

    /** The usual service: port 53, upstreams from {@code resolvConf} when the network has no forwarder. */
    public static DnsService create(String network, EventLoopGroup group, Path resolvConf, UpstreamSockets upstreams) {
        return create(network, group, resolvConf, upstreams, ServiceSockets.none());
    }

    /** {@link #create(String, EventLoopGroup, Path, UpstreamSockets)} with the sockets systemd keeps across restarts. */
    public static DnsService create(String network, EventLoopGroup group, Path resolvConf, UpstreamSockets upstreams,
                                    ServiceSockets sockets) {
        return new DnsService(network, group, ResolvConfWatcher.of(resolvConf), DnsConfig.DNS_PORT, upstreams, sockets);
    }

    /** Opens the listeners; with {@code <dns enable='no'>} opens nothing. On failure nothing stays open. */
    public synchronized void start(DnsConfig config) {
        start(config, Map.of());
    }

    /**
     * As {@link #start(DnsConfig)}, knowing {@code guests} (address → DHCP hostname) before the first query is
     * read: a restarted daemon's sockets may hold queries for them that came while no daemon ran.
     */
    public synchronized void start(DnsConfig config, Map<InetAddress, String> guests) {
        if (processor != null) {
            throw new IllegalStateException("DNS of network " + network + " already started");
        }
        engine.reconfigure(config);
        if (!guests.isEmpty()) {
            engine.replaceGuests(guests);
        }
        if (!config.enabled()) {
            LOG.info("network {}: DNS disabled", network);
            return;
        }
        try {
            processor = new QueryProcessor(engine, upstreams.get(), counters);
            openListeners(config);
        } catch (RuntimeException e) {
            stop();
            throw e instanceof VnetException ve ? ve.wrap("network " + network) : e;
        }
        LOG.info("network {}: DNS listening on {} of {}", network, boundAddresses(), config.interfaceName());
    }

    /**
     * Applies a changed configuration (net-update of a host, SRV, TXT, forwarder, domain…): the
     * engine switches at once; listeners are opened or closed only for addresses that came or went.
     */
    public synchronized void reconfigure(DnsConfig config) {
        if (!config.enabled()) {
            stop();
            engine.reconfigure(config);
            return;
        }
        if (processor == null) {
            start(config);
            return;
        }
        engine.reconfigure(config);
        for (InetAddress gone : new ArrayList<>(listeners.keySet())) {
            if (!config.listenAddresses().contains(gone) || !config.interfaceName().equals(bridge)) {
                listeners.remove(gone).close();
            }
        }
        openListeners(config);
    }

    /** Closes every socket. Guest names stay, so a restart of the service keeps them. */
    public synchronized void stop() {
        listeners.values().forEach(DnsListener::close);
        listeners.clear();
        if (ownUpstreams) {
            upstreams.close();
        }
        processor = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** DHCP handed {@code address} to a guest calling itself {@code hostname}; see {@link DnsEngine#putGuest}. */
    public boolean putGuest(String hostname, InetAddress address) {
        return engine.putGuest(hostname, address);
    }

    /** The lease of {@code address} ended. */
    public boolean removeGuest(InetAddress address) {
        return engine.removeGuest(address);
    }

    /** A batch of lease changes, the zone rebuilt once; see {@link DnsEngine#updateGuests}. */
    public int updateGuests(List<DnsEngine.GuestChange> changes) {
        return engine.updateGuests(changes);
    }

    /** All guest names at once (daemon restart: from the lease file). */
    public void replaceGuests(Map<InetAddress, String> leases) {
        engine.replaceGuests(leases);
    }

    public DnsEngine engine() {
        return engine;
    }

    public DnsStats stats() {
        return counters.snapshot();
    }

    public synchronized List<InetSocketAddress> boundAddresses() {
        return listeners.values().stream().map(DnsListener::address).toList();
    }

    private void openListeners(DnsConfig config) {
        bridge = config.interfaceName();
        for (InetAddress a : config.listenAddresses()) {
            if (!listeners.containsKey(a)) {
                listeners.put(a, DnsListener.open(bridge, a, port, group, processor, counters, memo, sockets));
            }
        }
    }
}
