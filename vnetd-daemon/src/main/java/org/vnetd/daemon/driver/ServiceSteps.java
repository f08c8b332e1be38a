package org.vnetd.daemon.driver;

import java.util.Map;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.xml.model.NetworkDef;

/** The in-process services as steps: they start on apply, stop on undo, and start again on adoption. */
final class ServiceSteps {
    private ServiceSteps() {
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

    record Dns(NetworkServices services, NetworkDef def) implements NetworkStep {
        public String id() {
            return "dns " + def.name();
        }

        public Map<String, String> apply() {
            guard(ErrorCode.DNS, "DNS service of network '" + def.name() + "' (port 53 on its addresses)", () -> services.startDns(def));
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            services.stopDns(def.name());
        }

        public Map<String, String> adopt(Map<String, String> record) {
            guard(ErrorCode.DNS, "DNS service of network '" + def.name() + "' (port 53 on its addresses)", () -> services.startDns(def));
            return record;
        }
    }

    record Dhcp(NetworkServices services, NetworkDef def, DhcpConfig config) implements NetworkStep {
        public String id() {
            return "dhcp " + config.interfaceName();
        }

        public Map<String, String> apply() {
            guard(ErrorCode.DHCP, "DHCP server on " + config.interfaceName() + " (port 67)", () -> services.startDhcp(def, config));
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            services.stopDhcp(def.name());
        }

        public Map<String, String> adopt(Map<String, String> record) {
            guard(ErrorCode.DHCP, "DHCP server on " + config.interfaceName() + " (port 67)", () -> services.startDhcp(def, config));
            return record;
        }
    }

    /** The TFTP server of libvirt's {@code <tftp root>}; a missing root fails the start (ErrorCode.TFTP). */
    record Tftp(NetworkServices services, NetworkDef def, TftpConfig config) implements NetworkStep {
        public String id() {
            return "tftp " + config.interfaceName();
        }

        public Map<String, String> apply() {
            guard(ErrorCode.TFTP, "TFTP server on " + config.interfaceName() + " (port 69)", () -> services.startTftp(def, config));
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            services.stopTftp(def.name());
        }

        public Map<String, String> adopt(Map<String, String> record) {
            guard(ErrorCode.TFTP, "TFTP server on " + config.interfaceName() + " (port 69)", () -> services.startTftp(def, config));
            return record;
        }
    }
}
