package org.vnetd.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vnetd.daemon.port.PortParams.params;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.process.DaemonProcess;
import org.vnetd.daemon.rpc.RpcClient;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.channel.unix.FileDescriptor;

/**
 * passFd ports: the tap's descriptor travels over SCM_RIGHTS to a netty client whose connection reads
 * in FILE_DESCRIPTORS mode, and each descriptor is a working tap — a DHCPDISCOVER written into it is
 * answered by vnetd's DHCP server with an OFFER read back from the same descriptor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class PortFdPassingTest {
    static final int PORTS = 1000;
    private TestNetns ns;
    private DaemonProcess daemon;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception { // deleted after the class's tests, like the namespace
        NetnsSupport.require("nft");
        ns = TestNetns.create("portfd");
        daemon = new DaemonProcess(ns, dir.resolve("vnetd"), PortParams.LOG_LEVEL).start("--no-default-network");
        // STP off: a port with STP on would wait two forward delays before passing frames
        daemon.call("network.create", Map.of("xml", "<network><name>fdnet</name><forward mode='nat'/>"
                + "<bridge name='vbr-fd' stp='off' delay='0'/><ip address='10.92.0.1' prefix='16'><dhcp>"
                + "<range start='10.92.1.0' end='10.92.12.255'/></dhcp></ip></network>"));
    }

    @AfterAll
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void aThousandPassedDescriptorsAreAllWorkingTaps() throws Exception {
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        try (RpcClient rpc = daemon.client(); FdClient fds = new FdClient(daemon.socket())) {
            for (int i = 0; i < PORTS && System.nanoTime() < deadline; i++) {
                MacAddress mac = MacAddress.parse(String.format("52:54:02:00:%02x:%02x", i >> 8, i & 0xff));
                JsonNode p = DaemonRpc.result("port.create", rpc.call("port.create", params("network", "fdnet", "mac", mac.toString(),
                        "passFd", true)));
                assertTrue(p.has("fdToken"), p.toString());
                List<FileDescriptor> got = fds.take(p.get("fdToken").asText(), 1);
                FileDescriptor fd = got.get(0);
                try {
                    int xid = 0x5000_0000 + i;
                    DhcpFrames.Reply offer = DhcpFrames.exchange(fd, DhcpFrames.discover(mac, xid), xid, 5000);
                    assertNotNull(offer, "no OFFER on the descriptor of port " + i + " (" + p.get("tap").asText() + ")");
                    assertEquals(DhcpFrames.OFFER, offer.type());
                    assertTrue(offer.yiaddr().getHostAddress().startsWith("10.92."), offer.toString());
                    received++;
                } finally {
                    fd.close();
                }
                DaemonRpc.result("port.delete", rpc.call("port.delete", params("uuid", p.get("uuid").asText())));
            }
        }
        assertEquals(PORTS, received, "every port.create with passFd delivered a working tap descriptor");
        assertEquals("", ns.execOk("ip", "-o", "link", "show", "type", "tun").trim(), "no tap left behind");
    }

    @Test
    void reservedAddressIsOfferedAndLeaseReleasedOnlyWhenAsked() throws Exception {
        try (RpcClient rpc = daemon.client(); FdClient fds = new FdClient(daemon.socket())) {
            for (boolean release : new boolean[] {false, true}) {
                MacAddress mac = MacAddress.parse(release ? "52:54:03:00:00:02" : "52:54:03:00:00:01");
                String ip = release ? "10.92.0.78" : "10.92.0.77";
                JsonNode p = DaemonRpc.result("port.create", rpc.call("port.create", params("network", "fdnet", "mac", mac.toString(),
                        "passFd", true, "ip", ip)));
                FileDescriptor fd = fds.take(p.get("fdToken").asText(), 1).get(0);
                try {
                    DhcpFrames.Reply offer = DhcpFrames.exchange(fd, DhcpFrames.discover(mac, 77), 77, 5000);
                    assertNotNull(offer);
                    assertEquals(ip, offer.yiaddr().getHostAddress(), "the port's reservation is offered");
                    DhcpFrames.Reply ack = DhcpFrames.exchange(fd, DhcpFrames.request(mac, 78, (Inet4Address) IpAddresses.parse(ip),
                            offer.server()), 78, 5000);
                    assertNotNull(ack);
                    assertEquals(DhcpFrames.ACK, ack.type());
                } finally {
                    fd.close();
                }
                assertEquals(1, daemon.call("network.dhcpLeases", params("network", "fdnet", "mac", mac.toString())).size());
                DaemonRpc.result("port.delete", rpc.call("port.delete", params("uuid", p.get("uuid").asText(), "releaseLease", release)));
                int left = daemon.call("network.dhcpLeases", params("network", "fdnet", "mac", mac.toString())).size();
                assertEquals(release ? 0 : 1, left, release ? "releaseLease ends the lease" : "leases are kept by default (as libvirt)");
            }
        }
    }

    @Test
    void aTokenWorksOnceAndAWrongOneClosesNothingElse() throws Exception {
        try (RpcClient rpc = daemon.client()) {
            JsonNode p = DaemonRpc.result("port.create", rpc.call("port.create", params("network", "fdnet", "mac", "52:54:04:00:00:01",
                    "passFd", true, "multiQueue", true, "queues", 2, "vnetHdr", true)));
            try (FdClient fds = new FdClient(daemon.socket())) {
                List<FileDescriptor> two = fds.take(p.get("fdToken").asText(), 2);
                assertEquals(2, two.size(), "one descriptor per queue");
                String details = ns.execOk("ip", "-d", "link", "show", "dev", p.get("tap").asText());
                assertTrue(details.contains("multi_queue") && details.contains("vnet_hdr"), details);
                for (FileDescriptor fd : two) {
                    fd.close();
                }
            }
            JsonNode again = rpc.call("port.fd", params("fdToken", p.get("fdToken").asText()));
            assertEquals(15, again.get("error").get("code").asInt(), "a token is used once: " + again);
            assertFalse(ns.exec("ip", "link", "show", "dev", p.get("tap").asText()).ok(), "the tap ends with its last descriptor");
            JsonNode list = DaemonRpc.result("port.list", rpc.call("port.list", params("network", "fdnet")));
            assertEquals("tap-gone", list.get(0).get("state").asText(), list.toString());
            DaemonRpc.result("port.delete", rpc.call("port.delete", params("uuid", p.get("uuid").asText())));
        }
    }
}
