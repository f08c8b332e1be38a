package org.vnetd.daemon.ovn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.vnetd.daemon.port.TapWire;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Udhcpc;
import org.vnetd.testing.ovn.OvnCentral;
import org.vnetd.testing.ovn.OvnChassis;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * bench/ovn: the same NAT network definition started by vnetd on a local bridge and on OVN (a central namespace
 * and one hypervisor, as OvnThreeHostsNetnsTest builds them), timed from {@code network.start} to a guest's
 * DHCP lease. Local: the start, the guest's veth into the bridge, udhcpc until bound. OVN: the start,
 * {@code port.create} (logical port and tap on br-int), the guest's NIC wired to the tap ({@link TapWire}), udhcpc.
 * Rounds alternate local and OVN; each ends with the port deleted and the network destroyed. Prints every round,
 * the medians and their ratio. Not a CI test (main, run by bench/ovn/run.sh as root).
 */
public final class OvnLeaseBench {
    private static final String MAC = "52:54:00:00:0b:01";
    private static final String UUID = "5d7c0b3e-3b52-4c1e-9d55-0e8f1f3c6a01";

    private OvnLeaseBench() {
    }

    static String xml(String ovn) {
        return """
                <network xmlns:vnetd='https://vnetd.org/schemas/network/1.0'>
                  <name>bench</name>
                  <uuid>%s</uuid>
                  <forward mode='nat'/>
                  <ip address='10.77.0.1' netmask='255.255.255.0'>
                    <dhcp><range start='10.77.0.100' end='10.77.0.199'/></dhcp>
                  </ip>
                  %s
                </network>
                """.formatted(UUID, ovn);
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        NetnsSupport.require("ovn-controller", "ovn-northd", "ovs-vswitchd", "busybox", "ethtool");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            TestNetns ul = track(open, TestNetns.create("bovnul"));
            TestNetns central = track(open, TestNetns.create("bovnc"));
            TestNetns hv = track(open, TestNetns.create("bovnh"));
            TestNetns host = track(open, TestNetns.create("bovnl"));
            TestNetns guestOvn = track(open, TestNetns.create("bovng"));
            TestNetns guestLocal = track(open, TestNetns.create("bovngl"));
            ul.execOk("ip", "link", "add", "br0", "type", "bridge");
            ul.execOk("ip", "link", "set", "br0", "up");
            central.veth("eth0", ul, "c0");
            hv.veth("eth0", ul, "h1");
            for (String port : List.of("c0", "h1")) {
                ul.execOk("ip", "link", "set", port, "master", "br0");
            }
            // the userspace datapath does not finish checksums a veth sender left to the device (docs/ovn.md)
            central.execOk("ethtool", "-K", "eth0", "tx", "off");
            central.execOk("ip", "addr", "add", "192.168.50.10/24", "dev", "eth0");
            OvnCentral ovn = track(open, OvnCentral.start(central, "192.168.50.10"));
            OvnChassis chassis = track(open, OvnChassis.start(hv, "hv1", ovn, "eth0", "192.168.50.11/24", "physnet:br-ex"));

            Path dir = Files.createTempDirectory("vnetd-bench-ovn");
            DaemonProcess onOvn = track(open, new DaemonProcess(hv, dir.resolve("ovn"), "WARN"));
            DaemonProcess local = track(open, new DaemonProcess(host, dir.resolve("local"), "WARN"));
            onOvn.start("--no-default-network", "--ovn-chassis", "hv1", "--ovs-db", "unix:" + chassis.ovs().dbSocket());
            local.start("--no-default-network");
            onOvn.call("network.define", Map.of("xml", xml("<vnetd:ovn northbound='" + ovn.northboundTcp()
                    + "' gatewayChassis='hv1' uplink='physnet' uplinkAddress='192.0.2.50/24'/>")));
            local.call("network.define", Map.of("xml", xml("")));

            List<Long> localMs = new ArrayList<>();
            List<Long> ovnMs = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                localMs.add(localStartToLease(local, guestLocal));
                ovnMs.add(ovnStartToLease(onOvn, guestOvn));
                System.out.printf("round %d: local %d ms, OVN %d ms%n", i + 1, localMs.getLast(), ovnMs.getLast());
            }
            long l = median(localMs);
            long o = median(ovnMs);
            System.out.printf("net-start -> first lease, median of %d: local %d ms, OVN %d ms, OVN/local %.1fx%n", rounds, l, o,
                    (double) o / l);
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    System.err.println("cleanup: " + e);
                }
            }
        }
    }

    /** Local: net-start, the guest's veth into the network's bridge (as the local DHCP tests plug guests), udhcpc. */
    private static long localStartToLease(DaemonProcess d, TestNetns guest) throws Exception {
        long t0 = System.nanoTime();
        d.call("network.start", Map.of("network", "bench"));
        String bridge = d.call("network.lookup", Map.of("network", "bench")).get("bridge").asText();
        guest.veth("eth0", d.ns, "vg0");
        try {
            d.ns.execOk("ip", "link", "set", "vg0", "master", bridge, "up");
            guest.execOk("ip", "link", "set", "eth0", "address", MAC, "up");
            return lease(guest, t0);
        } finally {
            d.ns.exec("ip", "link", "del", "vg0");
            d.call("network.destroy", Map.of("network", "bench"));
        }
    }

    /** OVN: net-start, vnetd's port.create (logical port, tap on br-int), the guest's NIC wired to the tap, udhcpc. */
    private static long ovnStartToLease(DaemonProcess d, TestNetns guest) throws Exception {
        long t0 = System.nanoTime();
        d.call("network.start", Map.of("network", "bench"));
        JsonNode port = d.call("port.create", Map.of("network", "bench", "mac", MAC, "passFd", true));
        try (TapWire nic = TapWire.nic(guest, "eth0", MAC)) {
            nic.connect(d, port);
            return lease(guest, t0);
        } finally {
            d.call("port.delete", Map.of("network", "bench", "uuid", port.get("uuid").asText()));
            d.call("network.destroy", Map.of("network", "bench"));
        }
    }

    private static long lease(TestNetns guest, long t0) {
        try (Udhcpc client = new Udhcpc(new DhcpClientNs(guest, "eth0", MAC), false, "guest")) {
            client.start();
            DhcpLeaseInfo lease = client.awaitBound(Duration.ofSeconds(60));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (!lease.address().startsWith("10.77.0.")) {
                throw new AssertionError("lease outside the network: " + lease.address());
            }
            return ms;
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> open, T thing) {
        open.add(thing);
        return thing;
    }
}
