package org.vnetd.daemon.dhcp;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dhcp.DhcpMessage;
import org.vnetd.core.dhcp.DhcpOptions;
import org.vnetd.core.dhcp.DhcpServer;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;

/**
 * Child JVM for the kill -9 test: the engine + durable store binding leases as fast as it can, in
 * batches like the transport; it prints {@code ACKED <ip>} only after the batch's commit completed,
 * exactly when the transport would send those ACKs. The parent kills it mid-stream.
 */
public final class LeaseWriterChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        DurableLeaseStore store = DurableLeaseStore.open(dir, "vbr0", Clock.systemUTC());
        DhcpConfig cfg = DhcpConfig.simple("vbr0", IpPrefix.parse("10.88.0.1/16"), IpAddresses.fromInt(0x0a580100),
                IpAddresses.fromInt(0x0a58fff0));
        DhcpServer server = new DhcpServer(cfg, store.load(), store::append);
        System.out.println("READY");
        System.out.flush();
        for (int batch = 0; batch < 10_000; batch++) {
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = batch * 8 + i;
                byte[] mac = {0x52, 0x54, 0, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
                DhcpMessage req = new DhcpMessage(1, 1, 6, 0, n, 0, 0, DhcpMessage.ZERO, DhcpMessage.ZERO, DhcpMessage.ZERO,
                        DhcpMessage.ZERO, mac, null, null, DhcpOptions.builder().putByte(53, 3)
                        .putAddress(50, IpAddresses.fromInt(0x0a580100 + n)).build());
                if (server.handleDatagram(DhcpCodec.encode(req), 0, 300, Instant.now()) instanceof Decision.Ack a) {
                    acked.add(a.lease().address().getHostAddress());
                }
            }
            store.sync();
            StringBuilder sb = new StringBuilder();
            acked.forEach(ip -> sb.append("ACKED ").append(ip).append('\n'));
            System.out.print(sb);
            System.out.flush();
            store.prepareAhead(); // as the group committer does: later records land in preallocated zeros
        }
        Thread.sleep(60_000); // the parent kills us long before
    }
}
