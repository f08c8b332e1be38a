package org.vnetd.daemon.driver;

import java.util.Map;

import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.driver.NetworkStep;
import org.vnetd.core.xml.model.NetworkDef;

/** The in-process services as steps: they start on apply, stop on undo, and start again on adoption. */
final class ServiceSteps {
    private ServiceSteps() {
    }

    record Dns(NetworkServices services, NetworkDef def) implements NetworkStep {
        public String id() {
            return "dns " + def.name();
        }

        public Map<String, String> apply() {
            services.startDns(def);
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            services.stopDns(def.name());
        }

        public Map<String, String> adopt(Map<String, String> record) {
            services.startDns(def);
            return record;
        }
    }

    record Dhcp(NetworkServices services, NetworkDef def, DhcpConfig config) implements NetworkStep {
        public String id() {
            return "dhcp " + config.interfaceName();
        }

        public Map<String, String> apply() {
            services.startDhcp(def, config);
            return Map.of();
        }

        public void undo(Map<String, String> record) {
            services.stopDhcp(def.name());
        }

        public Map<String, String> adopt(Map<String, String> record) {
            services.startDhcp(def, config);
            return record;
        }
    }
}
