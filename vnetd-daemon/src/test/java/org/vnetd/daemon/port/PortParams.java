package org.vnetd.daemon.port;

import java.util.HashMap;
import java.util.Map;

/** Small builders for the port tests' RPC calls. */
final class PortParams {
    /** The port tests' daemons log at INFO unless {@code -Dvnetd.test.logLevel} says otherwise. */
    static final String LOG_LEVEL = System.getProperty("vnetd.test.logLevel", "INFO");

    private PortParams() {
    }

    /** RPC params from alternating keys and values: {@code params("network", "default", "mac", mac)}. */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String natNet(String name, String bridge, String addr, String extra) {
        String base = addr.substring(0, addr.lastIndexOf('.'));
        return "<network><name>" + name + "</name><forward mode='nat'/><bridge name='" + bridge + "'/>" + extra
                + "<ip address='" + addr + "' prefix='24'><dhcp><range start='" + base + ".10' end='" + base + ".250'/></dhcp></ip></network>";
    }
}
