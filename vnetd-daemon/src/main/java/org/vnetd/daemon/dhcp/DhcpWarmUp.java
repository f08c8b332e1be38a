package org.vnetd.daemon.dhcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.SequenceWriter;

import io.netty.channel.EventLoopGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.vnetd.core.dhcp.Decision;
import org.vnetd.core.dhcp.DhcpCodec;
import org.vnetd.core.dhcp.DhcpConfig;
import org.vnetd.core.dhcp.DhcpMessage;
import org.vnetd.core.dhcp.DhcpMessageType;
import org.vnetd.core.dhcp.DhcpOptionCode;
import org.vnetd.core.dhcp.DhcpOptions;
import org.vnetd.core.dhcp.DhcpServer;
import org.vnetd.core.dhcp.LeaseChange;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.net.MacAddress;
import org.vnetd.daemon.socket.LoopbackDatagramWarmUp;

/**
 * One DHCP exchange (DISCOVER, REQUEST, RELEASE) through the codec, the server engine and the lease
 * records' JSON, in memory, once per daemon on a background thread. The first guest to ask for an
 * address after a daemon start otherwise paid for the JVM's first use of all of that, several times
 * what the next clients take, even with the packaged daemon's AOT cache (bench/dhcp/README.md,
 * "Figures behind the code"). No socket, no file: the server is a throwaway on a
 * documentation prefix (192.0.2.0/24, RFC 5737) and the records go to a byte array.
 */
public final class DhcpWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(DhcpWarmUp.class);
    private static final Inet4Address SERVER = (Inet4Address) IpAddresses.parse("192.0.2.1");
    private static final MacAddress CLIENT = MacAddress.parse("02:00:00:00:00:01");

    private DhcpWarmUp() {
    }

    /**
     * Starts the exchange on a thread of its own and returns; then, with a {@code group}, the loopback
     * datagram exchange on each of its loops ({@link LoopbackDatagramWarmUp}). A failure is logged: it
     * costs only speed.
     */
    public static Thread startInBackground(LeaseRecordJson json, EventLoopGroup group) {
        return Thread.ofPlatform().daemon(true).name("dhcp-warm-up").start(() -> {
            long t0 = System.nanoTime();
            try {
                run(json);
                if (group != null) {
                    LoopbackDatagramWarmUp.run(group, DhcpService.RECEIVE_BUFFER);
                }
                LOG.debug("DHCP warm-up took {} us", (System.nanoTime() - t0) / 1000);
            } catch (RuntimeException e) {
                LOG.warn("DHCP warm-up failed (the first DHCP client will be slower): {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the daemon is stopping
            }
        });
    }

    /** Runs the exchange; returns the lease records it wrote, one JSON line each (for the test). */
    static List<String> run(LeaseRecordJson json) {
        DhcpConfig config = new DhcpConfig("warm-up", SERVER, IpPrefix.parse("192.0.2.1/24").networkPrefix(),
                List.of(new DhcpConfig.Range((Inet4Address) IpAddresses.parse("192.0.2.10"),
                        (Inet4Address) IpAddresses.parse("192.0.2.20"))),
                List.of(), DhcpConfig.DEFAULT_LEASE_TIME, SERVER, List.of(SERVER), "warm-up.invalid", 1500, null, null);
        List<LeaseChange> changes = new ArrayList<>();
        DhcpServer server = new DhcpServer(config, List.of(), changes::add);
        byte[] datagram = new byte[DhcpCodec.MAX_DATAGRAM];
        Instant now = Instant.now();
        Decision offer = exchange(server, request(DhcpMessageType.DISCOVER, null), datagram, now);
        if (!(offer instanceof Decision.Offer o)) {
            throw new IllegalStateException("warm-up DISCOVER got " + offer);
        }
        Decision ack = exchange(server, request(DhcpMessageType.REQUEST, o.reply().yiaddr()), datagram, now);
        if (!(ack instanceof Decision.Ack)) {
            throw new IllegalStateException("warm-up REQUEST got " + ack);
        }
        exchange(server, request(DhcpMessageType.RELEASE, o.reply().yiaddr()), datagram, now);
        return writeAndReadBack(json, changes);
    }

    /** Encodes the client's message, hands the bytes to the server and encodes its reply, as the handler does. */
    private static Decision exchange(DhcpServer server, DhcpMessage m, byte[] datagram, Instant now) {
        int n = DhcpCodec.encode(m, 0, datagram);
        Decision d = server.handleDatagram(datagram, 0, n, now);
        switch (d) {
            case Decision.Offer o -> DhcpCodec.encode(o.reply(), o.maxMessageSize(), datagram);
            case Decision.Ack a -> DhcpCodec.encode(a.reply(), a.maxMessageSize(), datagram);
            case Decision.Nak k -> DhcpCodec.encode(k.reply(), 0, datagram);
            case Decision.Ignore i -> { }
        }
        return d;
    }

    private static DhcpMessage request(DhcpMessageType type, Inet4Address address) {
        DhcpOptions.Builder o = DhcpOptions.builder()
                .putByte(DhcpOptionCode.MESSAGE_TYPE, type.code())
                .putShort(DhcpOptionCode.MAX_MESSAGE_SIZE, 1500)
                .putString(DhcpOptionCode.HOST_NAME, "warm-up")
                .put(DhcpOptionCode.PARAMETER_REQUEST_LIST, new byte[] {1, 3, 6, 15, 26, 28, 51, 58, 59});
        Inet4Address ciaddr = DhcpMessage.ZERO;
        if (type.equals(DhcpMessageType.REQUEST)) {
            o.putAddress(DhcpOptionCode.REQUESTED_IP, address).putAddress(DhcpOptionCode.SERVER_ID, SERVER);
        } else if (type.equals(DhcpMessageType.RELEASE)) {
            o.putAddress(DhcpOptionCode.SERVER_ID, SERVER);
            ciaddr = address;
        }
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, 1, 6, 0, 0x5741524d, 0, 0, ciaddr, DhcpMessage.ZERO,
                DhcpMessage.ZERO, DhcpMessage.ZERO, CLIENT.octets(), null, null, o.build());
    }

    /** As the store writes a synced batch (one sequence writer), then as a restart reads the lines. */
    private static List<String> writeAndReadBack(LeaseRecordJson json, List<LeaseChange> changes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SequenceWriter w = json.lineWriter().writeValues(out)) {
            for (LeaseChange c : changes) {
                w.write(LeaseRecord.of(c, json.clock()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        for (String line : lines) {
            try {
                json.read(line).toLease(json.clock());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }
}
