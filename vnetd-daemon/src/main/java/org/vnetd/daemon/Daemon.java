package org.vnetd.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.driver.ServiceHealth;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.firewall.FirewallBackend;
import org.vnetd.core.firewall.NftablesRenderer;
import org.vnetd.core.plan.NetworkPlanner;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.daemon.activation.ServiceSockets;
import org.vnetd.daemon.time.BootClock;
import org.vnetd.daemon.config.ConfFile;
import org.vnetd.daemon.config.DaemonOptions;
import org.vnetd.daemon.driver.KernelActions;
import org.vnetd.daemon.driver.NetlinkKernelObserver;
import org.vnetd.daemon.pool.SysfsVirtualFunctions;
import org.vnetd.daemon.driver.NetworkServices;
import org.vnetd.daemon.firewalld.Firewalld;
import org.vnetd.daemon.firewalld.FirewalldZones;
import org.vnetd.daemon.firewall.FirewallBackends;
import org.vnetd.daemon.firewall.FirewallDoctor;
import org.vnetd.daemon.firewall.ProcessCommandRunner;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.libvirt.LibvirtServer;
import org.vnetd.daemon.libvirtimport.LibvirtImportService;
import org.vnetd.daemon.libvirtimport.FileImportJournal;
import org.vnetd.daemon.libvirtimport.LibvirtRelease;
import org.vnetd.daemon.libvirtimport.StoreLeaseImporter;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.EventProcedures;
import org.vnetd.daemon.libvirt.proc.MetadataProcedures;
import org.vnetd.daemon.libvirt.proc.NetworkProcedures;
import org.vnetd.daemon.libvirt.proc.PortProcedures;
import org.vnetd.daemon.libvirt.proc.ProcedureTable;
import org.vnetd.daemon.memory.IdleHeapTrim;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.daemon.netlink.ProcSysctl;
import org.vnetd.daemon.port.PortManager;
import org.vnetd.daemon.port.PortStore;
import org.vnetd.daemon.port.ServiceDhcp;
import org.vnetd.daemon.port.TapReaper;
import org.vnetd.daemon.rpc.ConnectionMethods;
import org.vnetd.daemon.rpc.EventHub;
import org.vnetd.daemon.rpc.FirewallDiagnoseService;
import org.vnetd.daemon.rpc.NetworkMethods;
import org.vnetd.daemon.rpc.PortMethods;
import org.vnetd.daemon.ovn.OvnConnections;
import org.vnetd.daemon.ovn.OvnEffects;
import org.vnetd.daemon.ovn.OvnLeases;
import org.vnetd.daemon.ovn.OvnLogicalPorts;
import org.vnetd.daemon.rpc.RpcMethodTable;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.daemon.rpc.ServiceStatsMethod;
import org.vnetd.daemon.state.ConfigDirStore;
import org.vnetd.daemon.state.FileModes;
import org.vnetd.daemon.state.RunDirStatusStore;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * The running daemon: wires state, kernel backends, services, the driver and the RPC server, and
 * takes them down again on exit — leaving networks running for the next daemon to adopt.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** Present once the built-in default network was offered, so undefining it is remembered. */
    static final String INITIALIZED = "initialized";
    /** Readable by all (as pid files are), writable by no one else whatever the umask. */
    private static final Set<PosixFilePermission> PID_FILE_MODE = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private final FileChannel lockFile;
    private final EventLoopGroup group;
    private final NetlinkLinkBackend netlink;
    private final NetworkServices services;
    private final NetworkDriver driver;
    /** Closed after the front-ends: its compaction brings the definition files up to date before the exit. */
    private ConfigDirStore definitions;
    private final ServiceSockets sockets;
    private RpcServer rpc;
    private LibvirtServer libvirt;
    private PortManager ports;
    private NetlinkLinkBackend reaperNetlink;
    private TapReaper reaper;
    private IdleHeapTrim heapTrim;
    private OvnConnections ovn;

    private Daemon(FileChannel lockFile, EventLoopGroup group, NetlinkLinkBackend netlink, NetworkServices services,
            NetworkDriver driver, ServiceSockets sockets) {
        this.sockets = sockets;
        this.lockFile = lockFile;
        this.group = group;
        this.netlink = netlink;
        this.services = services;
        this.driver = driver;
    }

    public NetworkDriver driver() {
        return driver;
    }

    public static Daemon start(DaemonOptions options, ConfFile conf) {
        return start(options, conf, ServiceSockets.none());
    }

    /**
     * @param sockets what systemd passed (socket units, the file-descriptor store) and keeps from now on;
     *                {@link ServiceSockets#none()} when not started by systemd
     */
    /** What keeps a running network from being served: its local services' problems, else its OVN database's. */
    private static ServiceHealth health(NetworkServices services, OvnConnections ovn) {
        return network -> services.problem(network).or(() -> ovn.problem(network));
    }

    public static Daemon start(DaemonOptions options, ConfFile conf, ServiceSockets sockets) {
        long t0 = System.nanoTime();
        StartWarmUp.begin(StartWarmUp.daemonTasks(readDefaultXml()));
        createDirectories(options);
        FileChannel lock = lock(options.runDir().resolve("vnetd.pid"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
        NetlinkLinkBackend netlink = null;
        NetworkServices services = null;
        ConfigDirStore definitions = null;
        OvnConnections ovn = null;
        Daemon d = null;
        try {
            netlink = NetlinkLinkBackend.open();
            ProcessCommandRunner commands = new ProcessCommandRunner();
            FirewallBackend firewall = FirewallBackends.choose(options.firewallBackend().orElse(conf.firewallBackend()),
                    commands);
            LOG.info("firewall backend: {}", firewall.name());
            services = new NetworkServices(options.stateDir().resolve("dhcp"), Path.of("/etc/resolv.conf"),
                    group, BootClock.system(), sockets);
            EventHub events = new EventHub();
            ovn = new OvnConnections(group, options.ovsDb().orElse(OvnConnections.DEFAULT_OVS_DB), options.ovnChassis());
            NetworkPlanner planner = new NetworkPlanner();
            SysfsVirtualFunctions vfs = new SysfsVirtualFunctions(conf.sysfsRoot());
            StoreLeaseImporter leaseImporter = new StoreLeaseImporter(options.stateDir().resolve("dhcp"), Clock.systemUTC());
            SafeXml xmlParser = new SafeXml(); // the driver's and the ports': their parsers are reused
            LibvirtRelease libvirtRelease = LibvirtRelease.forThisProcess(commands, leaseImporter, options.runDir());
            definitions = new ConfigDirStore(options.networksDir());
            NetworkDriver driver = new NetworkDriver(definitions,
                    new RunDirStatusStore(options.runDir(), planner), planner,
                    new KernelActions(netlink, new ProcSysctl(), firewall, services, netlink.tc(),
                            libvirtRelease, new OvnEffects(ovn),
                            new FirewalldZones(Firewalld.onSystemBus(commands, System.getenv()))),
                    new NetlinkKernelObserver(netlink, vfs), events, new OvnLeases(services, ovn),
                    health(services, ovn), System::currentTimeMillis,
                    RandomGenerator.of("L64X128MixRandom"), xmlParser);
            services.onHealthChange(driver::serviceHealthChanged);
            ovn.onHealthChange(driver::serviceHealthChanged);
            d = new Daemon(lock, group, netlink, services, driver, sockets);
            d.ovn = ovn;
            d.definitions = definitions;
            driver.recover();
            // after the recovery, which gives back the takeovers it finds unfinished: what is left was not seen by it
            libvirtRelease.giveBackLeftovers(network -> driver.list().stream().anyMatch(n -> n.name().equals(network) && n.active()));
            FileImportJournal importJournal = new FileImportJournal(options.runDir());
            importJournal.finishInterrupted(driver); // before autostart: such a definition must not start against libvirt's network
            if (options.defaultNetwork()) {
                d.offerDefaultNetwork(options.stateDir().resolve(INITIALIZED));
            }
            driver.autostart();
            d.reaperNetlink = NetlinkLinkBackend.open();
            d.reaper = new TapReaper(netlink, d.reaperNetlink);
            d.ports = new PortManager(driver, netlink, netlink.tc(),
                    new PortStore(options.runDir().resolve("ports")), new ServiceDhcp(services), d.reaper, vfs,
                    new OpenVswitch(commands, options.ovsDb()), new OvnLogicalPorts(ovn), xmlParser);
            d.ports.recover();
            driver.countPortsWith(d.ports);
            events.subscribe(new EventHub.Filter(null, null), d.ports::onNetworkEvent);
            FirewallDoctor doctor = new FirewallDoctor(commands, new NftablesRenderer(), firewall.name().equals("nftables"));
            PortManager ports = d.ports;
            d.rpc = RpcServer.start(options.runDir(), rpcMethods(driver, ports, new FirewallDiagnoseService(driver, doctor),
                    new LibvirtImportService(driver, planner, leaseImporter,
                            (network, xml) -> ports.register(network, xml, true), commands, importJournal),
                    new ServiceStatsMethod(driver, services::stats)), events, sockets);
            if (conf.libvirtProtocol()) {
                d.libvirt = startLibvirt(options, driver, d.ports, events, sockets);
            }
            sockets.closeUnclaimed(); // every running network and both front-ends have taken theirs by now
            services.warmUpDhcp(); // after the start: nothing above waits for it
            d.heapTrim = IdleHeapTrim.start(group.next());
            LOG.info("vnetd ready in {} ms: {} network(s), {} active", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    driver.list().size(), driver.list().stream().filter(s -> s.active()).count());
            return d;
        } catch (RuntimeException e) {
            // networks started so far stay up (a restart adopts them); only our own threads and sockets go,
            // and systemd keeps the stored ones for the next try
            sockets.exiting();
            if (d != null && d.libvirt != null) {
                d.libvirt.close();
            }
            if (d != null && d.reaper != null) {
                d.reaper.close();
            }
            if (d != null && d.reaperNetlink != null) {
                d.reaperNetlink.close();
            }
            if (services != null) {
                services.stopAll();
            }
            if (definitions != null) {
                definitions.close();
            }
            if (ovn != null) {
                ovn.close();
            }
            if (netlink != null) {
                netlink.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            release(lock);
            throw e;
        }
    }

    /** The JSON RPC's methods; building the table checks it serves exactly those of docs/rpc.md. */
    static RpcMethodTable rpcMethods(NetworkDriver driver, PortManager ports, FirewallDiagnoseService diagnose,
            LibvirtImportService libvirtImport, ServiceStatsMethod serviceStats) {
        return new RpcMethodTable(ConnectionMethods.all(), new NetworkMethods(driver).all(),
                new PortMethods(ports).all(), diagnose.all(), libvirtImport.all(), serviceStats.all());
    }

    /**
     * libvirt's protocol is a second front-end: when it cannot listen (a path too long for a Unix socket, an
     * unwritable /run/libvirt) the daemon still serves its own RPC, and the log says why libvirt's clients can't
     * reach it.
     */
    private static LibvirtServer startLibvirt(DaemonOptions options, NetworkDriver driver, PortManager ports, EventHub events,
            ServiceSockets sockets) {
        Path dir = LibvirtServer.socketDir(options.runDir(), DaemonOptions.DEFAULT_RUN_DIR);
        EventProcedures eventProcedures = new EventProcedures(events);
        try {
            return LibvirtServer.start(dir, new ProcedureTable(ConnectProcedures.all(), new NetworkProcedures(driver).all(),
                    new PortProcedures(driver, ports).all(), new MetadataProcedures(driver).all(), eventProcedures.all()), eventProcedures::dropAll, sockets);
        } catch (VnetException e) {
            LOG.error("not serving libvirt's protocol: {}", e.getMessage());
            return null;
        }
    }

    private void offerDefaultNetwork(Path marker) {
        if (Files.exists(marker)) {
            return;
        }
        Path libvirtDefault = LibvirtImportService.STATUS_DIR.resolve("default.xml");
        if (Files.exists(libvirtDefault)) {
            // the host is moving from libvirt: its 'default' is imported (vnetctl import-libvirt), not made twice
            LOG.info("libvirt runs a network 'default' ({}): not defining vnetd's; vnetctl import-libvirt moves libvirt's", libvirtDefault);
            return;
        }
        try {
            if (driver.list().isEmpty()) {
                driver.defineDefault(readDefaultXml()).ifPresent(s -> LOG.info("defined the default network ({}, bridge {})",
                        s.uuid(), s.bridge()));
            }
        } catch (RuntimeException e) {
            LOG.error("cannot define the default network: {}", e.getMessage());
            return;
        }
        try {
            Files.writeString(Files.createFile(marker, FileModes.privateFile()),
                    "the default network was offered; delete this file to have it defined again\n");
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", marker, e.getMessage());
        }
    }

    static String readDefaultXml() {
        try (InputStream in = Daemon.class.getResourceAsStream("default.xml")) {
            if (in == null) {
                throw new VnetException(ErrorCode.INTERNAL, "default.xml is missing from the vnetd jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VnetException(ErrorCode.INTERNAL, "cannot read the built-in default.xml: " + e.getMessage(), e);
        }
    }

    private static void createDirectories(DaemonOptions o) {
        // definitions, leases and status are owner-only; the run dir must stay reachable for the
        // read-only socket; the state dir holds only owner-only entries and may be passed through
        Map<Path, Set<PosixFilePermission>> dirs = new LinkedHashMap<>();
        dirs.put(o.networksDir(), FileModes.PRIVATE_DIR);
        dirs.put(o.stateDir(), FileModes.SHARED_DIR);
        dirs.put(o.stateDir().resolve("dhcp"), FileModes.PRIVATE_DIR);
        dirs.put(o.runDir(), FileModes.SHARED_DIR);
        dirs.put(o.runDir().resolve("network"), FileModes.PRIVATE_DIR);
        for (Map.Entry<Path, Set<PosixFilePermission>> d : dirs.entrySet()) {
            Path p = d.getKey();
            try {
                FileModes.directory(p, d.getValue());
            } catch (IOException e) {
                throw new VnetException(ErrorCode.STATE_IO, "cannot create " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** One daemon per run dir: a second one would fight over sockets, bridges and leases. */
    private static FileChannel lock(Path pidFile) {
        try {
            FileChannel ch = FileChannel.open(pidFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PID_FILE_MODE));
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new VnetException(ErrorCode.STATE_IO, "another vnetd is already running with " + pidFile.getParent()
                        + " (" + pidFile + " is locked)");
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
            return ch;
        } catch (IOException e) {
            throw new VnetException(ErrorCode.STATE_IO, "cannot lock " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static void release(FileChannel lock) {
        try {
            lock.close();
        } catch (IOException ignored) {
            // closing releases the lock; nothing else to do
        }
    }

    public void reload() {
        driver.reload();
    }

    /** Stops serving RPC and the in-process services; bridges, addresses and rules stay. */
    @Override
    public void close() {
        LOG.info("vnetd stopping; running networks stay up");
        sockets.exiting(); // the services' sockets stay in systemd's store, with what arrives meanwhile
        if (heapTrim != null) {
            heapTrim.close();
        }
        if (libvirt != null) {
            libvirt.close();
        }
        if (rpc != null) {
            rpc.close();
        }
        if (ports != null) {
            ports.close();
        }
        if (reaper != null) {
            reaper.close(); // after the RPC server: no more deletes, the queued taps are removed before we exit
        }
        if (reaperNetlink != null) {
            reaperNetlink.close();
        }
        services.stopAll();
        if (definitions != null) {
            definitions.close();
        }
        if (ovn != null) {
            ovn.close(); // OVN networks' rows stay in the database, as local networks' bridges stay
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        netlink.close();
        release(lockFile);
    }
}
