package org.vnetd.daemon.driver;

import java.util.Map;

import org.vnetd.core.plan.ServiceConfigs;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.plan.Action;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.xml.model.NetworkDef;

/**
 * The in-process services of one network: they start on apply, stop on undo, and start again on
 * adoption, configured from the network's live definition. A service that cannot start again on
 * adoption leaves the network degraded and is retried in the background (NetworkServices).
 */
final class ServiceEffects {
    private final NetworkServices services;
    private final NetworkDef live;

    ServiceEffects(NetworkServices services, NetworkDef live) {
        this.services = services;
        this.live = live;
    }

    /**
     * Runs a service start; socket errors surface from netty as undeclared checked exceptions
     * (NativeIoException), so everything that is not already a VnetException gets the service's code.
     */
    static void guard(ErrorCode code, String what, Runnable start) {
        try {
            start.run();
        } catch (VnetException e) {
            throw e;
        } catch (Exception e) {
            throw new VnetException(code, "cannot start the " + what + ": " + e.getMessage(), e);
        }
    }

    Map<String, String> start(Action.StartDns d) {
        guard(ErrorCode.DNS, "DNS service of network '" + live.name() + "' (port 53 on its addresses)", () -> services.startDns(live));
        return Map.of();
    }

    void adopt(Action.StartDns d) {
        guard(ErrorCode.DNS, "DNS service of network '" + live.name() + "' (port 53 on its addresses)", () -> services.adoptDns(live));
    }

    void stop(Action.StartDns d) {
        services.stopDns(d.network());
    }

    Map<String, String> start(Action.StartDhcp d) {
        var config = ServiceConfigs.dhcp(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no DHCP range or host to serve", live.name()));
        guard(ErrorCode.DHCP, "DHCP server on " + config.interfaceName() + " (port 67)", () -> services.startDhcp(live, config));
        return Map.of();
    }

    void adopt(Action.StartDhcp d) {
        var config = ServiceConfigs.dhcp(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no DHCP range or host to serve", live.name()));
        guard(ErrorCode.DHCP, "DHCP server on " + config.interfaceName() + " (port 67)", () -> services.adoptDhcp(live, config));
    }

    void stop(Action.StartDhcp d) {
        services.stopDhcp(d.network());
    }

    /** A missing root fails the start (ErrorCode.TFTP). */
    Map<String, String> start(Action.StartTftp t) {
        TftpConfig config = TftpConfig.of(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no <tftp root> to serve", live.name()));
        guard(ErrorCode.TFTP, "TFTP server on " + config.interfaceName() + " (port 69)", () -> services.startTftp(live, config));
        return Map.of();
    }

    void adopt(Action.StartTftp t) {
        TftpConfig config = TftpConfig.of(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no <tftp root> to serve", live.name()));
        guard(ErrorCode.TFTP, "TFTP server on " + config.interfaceName() + " (port 69)", () -> services.adoptTftp(live, config));
    }

    void stop(Action.StartTftp t) {
        services.stopTftp(t.network());
    }

    Map<String, String> start(Action.StartRa r) {
        var config = ServiceConfigs.ra(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no IPv6 address to advertise", live.name()));
        guard(ErrorCode.KERNEL, "router advertisements on " + config.interfaceName() + " (ICMPv6)", () -> services.startRa(live, config));
        return Map.of();
    }

    void adopt(Action.StartRa r) {
        var config = ServiceConfigs.ra(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no IPv6 address to advertise", live.name()));
        guard(ErrorCode.KERNEL, "router advertisements on " + config.interfaceName() + " (ICMPv6)", () -> services.adoptRa(live, config));
    }

    void stop(Action.StartRa r) {
        services.stopRa(r.network(), true);
    }

    Map<String, String> start(Action.StartDhcp6 d) {
        var config = dhcp6Config();
        guard(ErrorCode.DHCP, "DHCPv6 server on " + config.interfaceName() + " (port 547)", () -> services.startDhcp6(live, config));
        return Map.of();
    }

    void adopt(Action.StartDhcp6 d) {
        var config = dhcp6Config();
        guard(ErrorCode.DHCP, "DHCPv6 server on " + config.interfaceName() + " (port 547)", () -> services.adoptDhcp6(live, config));
    }

    void stop(Action.StartDhcp6 d) {
        services.stopDhcp6(d.network());
    }

    private org.vnetd.core.dhcp6.Dhcp6Config dhcp6Config() {
        return ServiceConfigs.dhcp6(live).orElseThrow(() -> VnetException.of(ErrorCode.INTERNAL,
                "network '%s' has no IPv6 DHCP range or host to serve", live.name()));
    }
}
