package org.vnetd.core.driver;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.plan.KernelView;
import org.vnetd.core.rpc.NetworkSummary;

/** What the daemon starts with: the autostart networks, and a {@code default} network on a host that has none. */
final class NetworkAutostart {
    // the driver's category: operators see one logger for the network state machine
    private static final Logger LOG = LoggerFactory.getLogger(NetworkDriver.class);

    private final KnownNetworks networks;
    private final NetworkLifecycle lifecycle;
    private final NetworkReads reads;
    private final KernelObserver kernel;

    NetworkAutostart(KnownNetworks networks, NetworkLifecycle lifecycle, NetworkReads reads, KernelObserver kernel) {
        this.networks = networks;
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.kernel = kernel;
    }

    /** Starts every autostart network that is not running; failures are logged, not fatal. */
    void autostart() {
        for (NetworkEntry e : List.copyOf(networks.all())) {
            if (e.autostart && !e.active()) {
                try {
                    lifecycle.start(e.name);
                } catch (Exception ex) {
                    LOG.error("autostart of network '{}' failed: {}", e.name, ex.getMessage());
                }
            }
        }
    }

    /**
     * Defines {@code default} from the given XML with autostart, moving it to the next free
     * 192.168.N.0/24 when 192.168.122.0/24 is already routed on the host (as libvirt's packaging does).
     */
    Optional<NetworkSummary> defineDefault(String defaultXml) {
        if (!networks.isEmpty()) {
            return Optional.empty();
        }
        List<IpPrefix> routed = kernel.observe().routes().stream()
                .map(KernelView.Route::destination).filter(p -> p.length() > 0).toList();
        IpPrefix subnet = SubnetChooser.choose(routed).orElseThrow(() ->
                new VnetException(ErrorCode.CONFLICT, "every 192.168.N.0/24 is routed on this host; no subnet for the default network"));
        String xml = defaultXml;
        String third = subnet.address().getHostAddress().split("\\.")[2];
        if (!third.equals("122")) {
            xml = xml.replace("192.168.122.", "192.168." + third + ".");
            LOG.info("192.168.122.0/24 is in use on this host; the default network uses {}", subnet);
        }
        NetworkSummary s = lifecycle.define(xml);
        lifecycle.setAutostart(s.name(), true);
        return Optional.of(reads.lookup(s.name()));
    }
}
