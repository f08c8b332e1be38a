package org.vnetd.testing.ovn;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.vnetd.testing.Await;
import org.vnetd.testing.PrivateOpenVswitch;
import org.vnetd.testing.TestNetns;

/**
 * A hypervisor of a test's own: a {@link PrivateOpenVswitch} in its namespace (userspace datapath) and
 * {@code ovn-controller} on it, registered as chassis {@code name} with the southbound database,
 * tunnelling Geneve from {@code encapIp}. With the userspace datapath the tunnel endpoint address must
 * be on an OVS bridge: {@code underlay} (a link of the namespace) becomes a port of bridge
 * {@code br-phy}, which gets {@code encapIp}.
 */
public final class OvnChassis implements AutoCloseable {
    private final TestNetns ns;
    private final String name;
    private final PrivateOpenVswitch ovs;
    private final OvnProcesses processes = new OvnProcesses();
    private Process controller;

    private OvnChassis(TestNetns ns, String name, PrivateOpenVswitch ovs) {
        this.ns = ns;
        this.name = name;
        this.ovs = ovs;
    }

    /**
     * @param encapPrefix the tunnel endpoint as ADDRESS/PREFIX, put on br-phy
     * @param bridgeMappings e.g. {@code physnet:br-ex} (the bridges are made, netdev), or null
     */
    public static OvnChassis start(TestNetns ns, String name, OvnCentral central, String underlay, String encapPrefix,
            String bridgeMappings) {
        PrivateOpenVswitch ovs = PrivateOpenVswitch.start(ns);
        OvnChassis c = new OvnChassis(ns, name, ovs);
        try {
            ovs.addBridge("br-int");
            ovs.vsctlOk("set", "Bridge", "br-int", "fail_mode=secure", "other_config:disable-in-band=true");
            ovs.addBridge("br-phy");
            ovs.vsctlOk("add-port", "br-phy", underlay);
            ns.execOk("ip", "addr", "flush", "dev", underlay);
            ns.execOk("ip", "addr", "add", encapPrefix, "dev", "br-phy");
            ns.execOk("ip", "link", "set", "br-phy", "up");
            String encapIp = encapPrefix.substring(0, encapPrefix.indexOf('/'));
            Map<String, String> ids = new HashMap<>(Map.of("system-id", name, "ovn-remote", central.southboundTcp(),
                    "ovn-encap-type", "geneve", "ovn-encap-ip", encapIp, "ovn-bridge", "br-int",
                    "ovn-bridge-datapath-type", "netdev"));
            if (bridgeMappings != null) {
                ids.put("ovn-bridge-mappings", bridgeMappings);
                for (String m : bridgeMappings.split(",")) {
                    ovs.addBridge(m.substring(m.indexOf(':') + 1));
                }
            }
            ids.forEach((k, v) -> ovs.vsctlOk("set", "Open_vSwitch", ".", "external_ids:" + k + "=\"" + v + "\""));
            Map<String, String> env = new HashMap<>(ovs.environment());
            env.put("OVN_RUNDIR", ovs.dir().toString());
            c.controller = c.processes.spawn(ns, ovs.dir(), env, "ovn-controller", "unix:" + ovs.dbSocket(),
 "--log-file=" + ovs.dir().resolve("ovn-controller.log"),
                    "-vconsole:off");
            try {
                Await.until(Duration.ofSeconds(30), "chassis " + name + " registered in the southbound database",
                        () -> {
                            if (!c.controller.isAlive()) {
                                throw new AssertionError("ovn-controller of " + name + " exited " + c.controller.exitValue() + ": "
                                        + tail(ovs.dir().resolve("ovn-controller.out")) + tail(ovs.dir().resolve("ovn-controller.log")));
                            }
                            return central.sbctl("--bare", "--columns=name", "find", "Chassis", "name=" + name).stdout().contains(name);
                        });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\novn-controller's log:\n" + tail(ovs.dir().resolve("ovn-controller.log"))
                        + "ovs-vswitchd's log:\n" + tail(ovs.dir().resolve("ovs-vswitchd.log")) + "routes: " + ns.exec("ip", "route").stdout()
                        + "ping central: " + ns.exec("ping", "-c", "1", "-W", "1", central.southboundTcp().split(":")[1]).stdout(), e);
            }
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static String tail(java.nio.file.Path file) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size())) + "\n";
        } catch (java.io.IOException e) {
            return "(no " + file.getFileName() + ")\n";
        }
    }

    public PrivateOpenVswitch ovs() {
        return ovs;
    }

    public String name() {
        return name;
    }

    public TestNetns ns() {
        return ns;
    }

    /** Plugs {@code ifname} (a link of this namespace) into br-int as OVN's logical port {@code ifaceId}. */
    public void plug(String ifname, String ifaceId) {
        ovs.vsctlOk("add-port", "br-int", ifname, "--", "set", "Interface", ifname, "external_ids:iface-id=" + ifaceId);
    }

    public void unplug(String ifname) {
        ovs.vsctlOk("--if-exists", "del-port", "br-int", ifname);
    }

    @Override
    public void close() {
        processes.close();
        ovs.close();
    }
}
