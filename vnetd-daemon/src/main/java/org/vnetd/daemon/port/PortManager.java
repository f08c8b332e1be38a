package org.vnetd.daemon.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.vnetd.core.driver.NetworkDriver;
import org.vnetd.core.driver.PortCounter;
import org.vnetd.core.link.LinkBackend;
import org.vnetd.core.pool.VirtualFunctions;
import org.vnetd.core.port.Bandwidth;
import org.vnetd.core.port.PortDef;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.core.rpc.Port;
import org.vnetd.core.xml.SafeXml;
import org.vnetd.daemon.ovs.OpenVswitch;
import org.vnetd.daemon.qos.PortQos;
import org.vnetd.daemon.rpc.FdReply;

/**
 * VM ports: a tap per guest interface, plugged into a network's bridge (libvirt's net-port-create), or on a
 * network of the macvtap modes a macvtap on a host interface of its pool.
 * Ports are remembered in the run dir, so a restarted daemon lists them and adopts their taps; a port
 * outlives its network's destruction (it is reported as such) and is plugged in again when the
 * network starts. Port creation and deletion are serialised: each is a handful of kernel calls.
 *
 * <p>The one entry point of the JSON RPC ({@code port.*}) and the libvirt front-end; the work is done by
 * {@link PortCreation}, {@link ClientTapPorts}, {@link FdHandoff}, {@link PortDeletion},
 * {@link PortBandwidth} and {@link PortRecovery} over the shared {@link PortRegistry}.
 */
public final class PortManager implements PortCounter, AutoCloseable {
    private final PortStore store;
    private final PortRegistry registry;
    private final ScheduledExecutorService timers;
    private final FdHandoff fds;
    private final PortCreation creation;
    private final ClientTapPorts clientTaps;
    private final PortDeletion deletion;
    private final PortBandwidth bandwidth;
    private final PortRecovery recovery;

    public PortManager(NetworkDriver driver, LinkBackend links, TcBackend tc, PortStore store, PortDhcp dhcp, TapReaper reaper,
            VirtualFunctions vfs, OpenVswitch ovs, PortOvn ovn, SafeXml xmlParser) {
        PortQos qos = new PortQos(tc);
        this.store = store;
        this.registry = new PortRegistry(driver, links, xmlParser);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("port-timers").factory());
        this.fds = new FdHandoff(timers, uuid -> delete(null, uuid, false));
        this.creation = new PortCreation(driver, links, store, dhcp, reaper, registry, fds, qos, vfs, ovs, ovn);
        this.clientTaps = new ClientTapPorts(driver, store, registry, qos, vfs, links, ovn);
        this.deletion = new PortDeletion(registry, links, store, dhcp, reaper, driver, qos, ovs, ovn);
        this.bandwidth = new PortBandwidth(driver, store, registry, qos);
        this.recovery = new PortRecovery(registry, links, store, dhcp, reaper, creation, timers, driver, qos, ovs, ovn);
    }

    /**
     * Removes taps of ports deleted by an earlier run that were not reaped before it stopped, then loads
     * stored ports and adopts their taps: a persistent tap detached from its bridge is plugged in again.
     */
    public void recover() {
        recovery.recover();
    }

    /** Lifecycle events: a network that starts again gets its ports' taps back on its bridge. */
    public void onNetworkEvent(NetworkEvent e) {
        recovery.onNetworkEvent(e);
    }

    public Port create(PortRequest req) {
        return creation.create(req);
    }

    /**
     * A port whose tap its client makes and plugs (libvirt's virtqemud, through virNetworkPortCreateXML):
     * nothing is created in the kernel; the port is recorded under the client's uuid. Without
     * {@code reclaim} it must come without a plug and gets one, as libvirt's networkAllocatePort gives it: the
     * bridge to put the tap into, and the portgroup's (or network's) bandwidth, vlan, isolation and rx-filter
     * trust where the port says nothing. With {@code reclaim} it must come with its plug (a client restarted
     * with its guests running registers their ports again); a port already recorded under that uuid is then
     * replaced. Returns the port as recorded.
     */
    public PortDef register(String network, String xml, boolean reclaim) {
        return clientTaps.register(network, registry.parse(xml), reclaim);
    }

    /**
     * Replaces a port's bandwidth (libvirt's networkPortSetParameters: the new values replace the old ones
     * as a whole; empty removes it): its floor on the bridge, and the rates on a tap vnetd made; kept in the
     * port's XML across restarts. What cannot be applied fails the call and changes nothing.
     */
    public void setBandwidth(String network, String uuid, Optional<Bandwidth> bandwidth) {
        this.bandwidth.set(network, uuid, bandwidth);
    }

    /** Hands the descriptors of a passFd port to {@code port.fd}; a token works once. */
    public FdReply takeFds(String token) {
        return fds.take(token);
    }

    /**
     * Retires the tap (if still there: down, queued for the reaper, in one kernel request),
     * removes the DHCP reservation and, when asked, the guest's leases. When this returns the port carries
     * no traffic and is forgotten; its net device is unregistered in the background (see {@link TapReaper}).
     */
    public void delete(String network, String uuid, boolean releaseLease) {
        registry.mutations.lock();
        try {
            PortRecord r = deletion.delete(network, uuid, releaseLease);
            fds.forget(r.uuid());
        } finally {
            registry.mutations.unlock();
        }
    }

    /** Ports of one network (by name or uuid), or of every network when {@code network} is null. */
    public List<Port> list(String network) {
        return registry.list(network);
    }

    /** How many ports the running network {@code network} ({@code uuid}) has: its live XML's connections. */
    public int count(String network, java.util.UUID uuid) {
        return registry.count(network, uuid.toString());
    }

    @Override
    public int ports(String network, java.util.UUID uuid) {
        return count(network, uuid);
    }

    @Override
    public Map<String, Integer> interfaceConnections(String network, java.util.UUID uuid) {
        return registry.interfaceConnections(network, uuid.toString());
    }

    public String getXml(String network, String uuid) {
        return registry.find(network, uuid).xml();
    }

    /** The port's definition: {@link #getXml}'s document, parsed. */
    public PortDef definition(String network, String uuid) {
        return registry.definition(registry.find(network, uuid));
    }

    public int size() {
        return registry.size();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        registry.mutations.lock();
        try {
            store.close();
        } finally {
            registry.mutations.unlock();
        }
        fds.close();
    }
}
