package org.vnetd.daemon.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.tftp.MalformedTftpException;
import org.vnetd.core.tftp.TftpCodec;
import org.vnetd.core.tftp.TftpConfig;
import org.vnetd.core.tftp.TftpErrorCode;
import org.vnetd.core.tftp.TftpLimits;
import org.vnetd.core.tftp.TftpPacket;
import org.vnetd.core.tftp.TransferMode;
import org.vnetd.testing.Await;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * The TFTP service for real: a "host" namespace with a bridge and the service on port 69 of its
 * address, a guest behind a veth on the bridge fetching with busybox's {@code tftp} and curl, and a
 * raw UDP client (in the guest's namespace) for what those clients cannot be made to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TftpServiceNetnsTest {
    private static final String BRIDGE = "br0";
    private static final String SERVER_IP = "10.79.0.1";
    private static final String GUEST_IP = "10.79.0.11";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TestNetns host;
    private TestNetns guest;
    private NetnsExecutor inHost;
    private NetnsExecutor inGuest;
    private EventLoopGroup group;
    private TftpService tftp;
    private Path root;
    private Path outside;
    private Path downloads;
    private byte[] small;
    private byte[] twoBlocks;
    private byte[] big;

    @BeforeAll
    void topology() throws Exception {
        NetnsSupport.require("busybox", "curl");
        if (!Exec.run("sh", "-c", "busybox --list | grep -qx tftp").ok()) {
            NetnsSupport.require("busybox-with-tftp-applet");
        }
        host = track(TestNetns.create("tftphost"));
        guest = track(TestNetns.create("tftpg"));
        host.execOk("ip", "link", "add", BRIDGE, "type", "bridge");
        host.execOk("ip", "addr", "add", SERVER_IP + "/24", "dev", BRIDGE);
        host.execOk("ip", "link", "set", BRIDGE, "up");
        host.veth("vg1", guest, "eth0");
        host.execOk("ip", "link", "set", "vg1", "master", BRIDGE);
        guest.execOk("ip", "addr", "add", GUEST_IP + "/24", "dev", "eth0");

        root = Files.createTempDirectory("vnetd-tftp-root");
        outside = Files.createTempDirectory("vnetd-tftp-outside");
        downloads = Files.createTempDirectory("vnetd-tftp-dl");
        small = "DEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        twoBlocks = random(2 * 512, 1);
        big = random(3 * 1024 * 1024, 2);
        write(root.resolve("pxelinux.cfg/default"), small);
        write(root.resolve("two-blocks.bin"), twoBlocks);
        write(root.resolve("big.img"), big);
        write(root.resolve("private.bin"), small);
        Files.setPosixFilePermissions(root.resolve("private.bin"), PosixFilePermissions.fromString("rw-------"));
        write(outside.resolve("secret"), "not for guests".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("inside-link"), root.resolve("two-blocks.bin"));

        inHost = NetnsExecutor.enter(host);
        inGuest = NetnsExecutor.enter(guest);
        group = inHost.call(() -> {
            EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            // start the loop thread from here so it, and the transfer sockets it opens, live in the namespace
            g.submit(() -> { }).sync();
            return g;
        });
        TftpConfig cfg = new TftpConfig("tftptest", BRIDGE,
                List.of(new TftpConfig.Served((java.net.Inet4Address) IpAddresses.parse(SERVER_IP), root.toString())),
                TftpLimits.forMtu(1500));
        tftp = new TftpService(cfg, group);
        inHost.run(tftp::start);
    }

    @AfterAll
    void teardown() throws Exception {
        if (tftp != null) {
            tftp.stop();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (inHost != null) {
            inHost.close();
        }
        if (inGuest != null) {
            inGuest.close();
        }
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        for (Path p : new Path[] {root, outside, downloads}) {
            if (p != null) {
                try (var walk = Files.walk(p)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    @Test
    void busyboxFetchesASmallFileFromASubdirectory() throws Exception {
        Path out = downloads.resolve("default");
        Exec.Result r = busybox("-g", "-r", "pxelinux.cfg/default", "-l", out.toString());
        assertTrue(r.ok(), r.toString());
        assertArrayEquals(small, Files.readAllBytes(out));
    }

    @Test
    void fileOfExactlyTwoBlocksArrivesWhole() throws Exception {
        Path out = downloads.resolve("two");
        Exec.Result r = busybox("-g", "-r", "two-blocks.bin", "-l", out.toString());
        assertTrue(r.ok(), r.toString());
        assertArrayEquals(twoBlocks, Files.readAllBytes(out));
    }

    @Test
    void threeMegabytesWithBlksize1468ByBusyboxAndCurl() throws Exception {
        Path out = downloads.resolve("big-busybox");
        long t0 = System.nanoTime();
        Exec.Result r = busybox("-g", "-b", "1468", "-r", "big.img", "-l", out.toString());
        long busyboxMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(r.ok(), r.toString());
        assertEquals(sha256(big), sha256(Files.readAllBytes(out)));

        Path out2 = downloads.resolve("big-curl");
        t0 = System.nanoTime();
        Exec.Result c = guest.exec(CLIENT_TIMEOUT, "curl", "-sS", "--tftp-blksize", "1468", "-o", out2.toString(),
                "tftp://" + SERVER_IP + "/big.img");
        long curlMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(c.ok(), c.toString());
        assertEquals(sha256(big), sha256(Files.readAllBytes(out2)));
        System.out.println("TFTP 3 MiB, blksize 1468: busybox " + busyboxMs + " ms, curl " + curlMs + " ms");
    }

    /**
     * 65 540 blocks of 512 bytes (busybox refuses a blksize below 512): block numbers pass 65535 and
     * go on from 0, which both clients expect.
     */
    @Test
    void blockNumbersWrapPast65535WithRealClients() throws Exception {
        byte[] many = random(65_540 * 512 + 5, 3);
        write(root.resolve("wrap.bin"), many);
        Path out = downloads.resolve("wrap-busybox");
        long t0 = System.nanoTime();
        Exec.Result r = busybox("-g", "-r", "wrap.bin", "-l", out.toString());
        System.out.println("TFTP 65540 blocks of 512 to busybox: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        assertTrue(r.ok(), r.toString());
        assertEquals(sha256(many), sha256(Files.readAllBytes(out)));
        Path out2 = downloads.resolve("wrap-curl");
        Exec.Result c = guest.exec(CLIENT_TIMEOUT, "curl", "-sS", "-o", out2.toString(),
                "tftp://" + SERVER_IP + "/wrap.bin");
        assertTrue(c.ok(), c.toString());
        assertEquals(sha256(many), sha256(Files.readAllBytes(out2)));
    }

    @Test
    void symlinkInsideTheRootIsServed() throws Exception {
        Path out = downloads.resolve("inside");
        Exec.Result r = busybox("-g", "-r", "inside-link", "-l", out.toString());
        assertTrue(r.ok(), r.toString());
        assertArrayEquals(twoBlocks, Files.readAllBytes(out));
    }

    @Test
    void missingFileIsError1() {
        Exec.Result r = busybox("-g", "-r", "no-such-file", "-l", downloads.resolve("missing").toString());
        assertFalse(r.ok(), r.toString());
        assertTrue(r.stderr().contains("File not found"), r.stderr());
    }

    @Test
    void dotDotIsRefused() throws Exception {
        TftpPacket.Error e = rawError(new TftpPacket.ReadRequest("../etc/passwd", TransferMode.OCTET, Map.of()));
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, e.kind());
        Path out = downloads.resolve("passwd");
        Exec.Result r = busybox("-g", "-r", "../etc/passwd", "-l", out.toString());
        assertFalse(r.ok(), r.toString());
        assertTrue(r.stderr().contains("Access violation"), r.stderr());
        assertFalse(Files.exists(out) && Files.size(out) > 0, "nothing of /etc/passwd arrived");
    }

    @Test
    void absoluteNameIsRelativeToTheRoot() throws Exception {
        Path out = downloads.resolve("abs");
        Exec.Result r = busybox("-g", "-r", "/two-blocks.bin", "-l", out.toString());
        assertTrue(r.ok(), r.toString());
        assertArrayEquals(twoBlocks, Files.readAllBytes(out));
        assertEquals(TftpErrorCode.FILE_NOT_FOUND,
                rawError(new TftpPacket.ReadRequest("/etc/passwd", TransferMode.OCTET, Map.of())).kind(), "/etc/passwd is ROOT/etc/passwd");
    }

    @Test
    void symlinkOutOfTheRootIsRefused() {
        Exec.Result r = busybox("-g", "-r", "escape", "-l", downloads.resolve("escape").toString());
        assertFalse(r.ok(), r.toString());
        assertTrue(r.stderr().contains("Access violation"), r.stderr());
    }

    @Test
    void fileNotWorldReadableIsRefused() throws Exception {
        assertEquals(TftpErrorCode.ACCESS_VIOLATION, rawError(new TftpPacket.ReadRequest("private.bin", TransferMode.OCTET, Map.of())).kind());
    }

    @Test
    void writeRequestIsAnAccessViolation() throws Exception {
        Path local = downloads.resolve("upload");
        Files.writeString(local, "x");
        Exec.Result r = busybox("-p", "-r", "upload", "-l", local.toString());
        assertFalse(r.ok(), r.toString());
        assertTrue(r.stderr().contains("read-only") || r.stderr().contains("Access violation"), r.stderr());
        assertFalse(Files.exists(root.resolve("upload")));
    }

    @Test
    void badModeGetsError4() throws Exception {
        TftpPacket.Error e = rawError(raw("f", "mail"));
        assertEquals(TftpErrorCode.ILLEGAL_OPERATION, e.kind());
    }

    /**
     * What the shell clients cannot show: the OACK, the transfer's own port, ERROR 5 to a stranger,
     * no answer to a duplicate ACK, a retransmission after silence, and a stop that tells the client.
     */
    @Test
    void rawClientSeesOackTidRetransmissionAndStop() throws Exception {
        inGuest.run(() -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0));
                 DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0))) {
                s.setSoTimeout(3000);
                InetSocketAddress server = new InetSocketAddress(SERVER_IP, TftpService.TFTP_PORT);
                send(s, server, new TftpPacket.ReadRequest("big.img", TransferMode.OCTET,
                        Map.of("blksize", "65464", "tsize", "0", "timeout", "1")));
                Received oack = receive(s);
                TftpPacket.OptionAck o = (TftpPacket.OptionAck) oack.packet();
                assertEquals("1468", o.options().get("blksize"), "capped to the MTU");
                assertEquals(Integer.toString(big.length), o.options().get("tsize"));
                assertTrue(oack.from().getPort() != TftpService.TFTP_PORT, "data comes from the transfer's own port");
                InetSocketAddress tid = oack.from();

                send(stranger, tid, new TftpPacket.Ack(0));
                stranger.setSoTimeout(3000);
                assertEquals(TftpErrorCode.UNKNOWN_TRANSFER_ID, ((TftpPacket.Error) receive(stranger).packet()).kind());

                send(s, tid, new TftpPacket.Ack(0));
                TftpPacket.Data d1 = (TftpPacket.Data) receive(s).packet();
                assertEquals(1, d1.block());
                send(s, tid, new TftpPacket.Ack(1));
                TftpPacket.Data d2 = (TftpPacket.Data) receive(s).packet();
                assertEquals(2, d2.block());
                // the ACK of block 1 again: no DATA 3, no second DATA 2 right away
                send(s, tid, new TftpPacket.Ack(1));
                s.setSoTimeout(500);
                assertTrue(receiveOrNull(s) == null, "a duplicate ACK is not answered");
                // silence: after the negotiated 1 s the server sends block 2 again
                s.setSoTimeout(3000);
                TftpPacket.Data again = (TftpPacket.Data) receive(s).packet();
                assertEquals(2, again.block());
                assertArrayEquals(d2.payload(), again.payload());
                assertEquals(1, tftp.activeTransfers());

                tftp.stop();
                TftpPacket p;
                do {
                    p = receive(s).packet(); // a retransmission may come first
                } while (p instanceof TftpPacket.Data);
                assertEquals(TftpErrorCode.NOT_DEFINED, ((TftpPacket.Error) p).kind());
                assertEquals(0, tftp.activeTransfers());
            } catch (IOException | MalformedTftpException e) {
                throw new AssertionError(e);
            } finally {
                inHost.run(() -> {
                    if (!tftp.isRunning()) {
                        tftp.start();
                    }
                });
            }
        });
        // the restarted service serves again
        Path out = downloads.resolve("after-restart");
        Exec.Result r = busybox("-g", "-r", "two-blocks.bin", "-l", out.toString());
        assertTrue(r.ok(), r.toString());
        waitUntil(() -> tftp.activeTransfers() == 0, "transfer slots released");
    }

    @Test
    void concurrentTransfersAreBounded() throws Exception {
        TftpConfig cfg = new TftpConfig("tftpbound", BRIDGE,
                List.of(new TftpConfig.Served((java.net.Inet4Address) IpAddresses.parse(SERVER_IP), root.toString())),
                TftpLimits.forMtu(1500));
        TftpService bounded = new TftpService(cfg, group, 6969, 2);
        inHost.run(bounded::start);
        try {
            inGuest.run(() -> {
                InetSocketAddress server = new InetSocketAddress(SERVER_IP, 6969);
                TftpPacket rrq = new TftpPacket.ReadRequest("big.img", TransferMode.OCTET, Map.of());
                try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0));
                     DatagramSocket b = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0));
                     DatagramSocket c = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0))) {
                    for (DatagramSocket s : List.of(a, b)) {
                        s.setSoTimeout(3000);
                        send(s, server, rrq);
                        assertEquals(1, ((TftpPacket.Data) receive(s).packet()).block());
                    }
                    c.setSoTimeout(1500);
                    send(c, server, rrq);
                    assertTrue(receiveOrNull(c) == null, "a third transfer is not started");
                    assertEquals(2, bounded.activeTransfers());
                    // the clients give up: their transfers end and free their slots
                    for (DatagramSocket s : List.of(a, b)) {
                        Received r = receive(s); // a retransmission of DATA 1 tells us the TID
                        send(s, r.from(), new TftpPacket.Error(TftpErrorCode.NOT_DEFINED, "enough"));
                    }
                    waitUntil(() -> bounded.activeTransfers() == 0, "slots released");
                    c.setSoTimeout(3000);
                    send(c, server, rrq);
                    Received r = receive(c);
                    assertEquals(1, ((TftpPacket.Data) r.packet()).block());
                    send(c, r.from(), new TftpPacket.Error(TftpErrorCode.NOT_DEFINED, "enough"));
                    waitUntil(() -> bounded.activeTransfers() == 0, "slot released");
                } catch (IOException | MalformedTftpException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            bounded.stop();
        }
    }

    // ---- helpers ----

    private record Received(TftpPacket packet, InetSocketAddress from) {
    }

    private TftpPacket.Error rawError(Object request) throws Exception {
        return inGuest.call(() -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(GUEST_IP, 0))) {
                s.setSoTimeout(3000);
                InetSocketAddress server = new InetSocketAddress(SERVER_IP, TftpService.TFTP_PORT);
                byte[] b = request instanceof byte[] bytes ? bytes : TftpCodec.encode((TftpPacket) request);
                s.send(new DatagramPacket(b, b.length, server));
                return (TftpPacket.Error) receive(s).packet();
            }
        });
    }

    /** An RRQ with any mode string, which TftpCodec would refuse to write. */
    private static byte[] raw(String file, String mode) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0);
        out.write(1);
        out.writeBytes(file.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(mode.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(0);
        return out.toByteArray();
    }

    private static void send(DatagramSocket s, InetSocketAddress to, TftpPacket p) throws IOException {
        byte[] b = TftpCodec.encode(p);
        s.send(new DatagramPacket(b, b.length, to));
    }

    private static Received receive(DatagramSocket s) throws IOException, MalformedTftpException {
        Received r = receiveOrNull(s);
        if (r == null) {
            throw new AssertionError("no packet within " + s.getSoTimeout() + " ms");
        }
        return r;
    }

    private static Received receiveOrNull(DatagramSocket s) throws IOException, MalformedTftpException {
        byte[] buf = new byte[65536];
        DatagramPacket dp = new DatagramPacket(buf, buf.length);
        try {
            s.receive(dp);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new Received(TftpCodec.decode(buf, 0, dp.getLength()), (InetSocketAddress) dp.getSocketAddress());
    }

    private Exec.Result busybox(String... args) {
        List<String> argv = new ArrayList<>(List.of("busybox", "tftp"));
        argv.addAll(List.of(args));
        argv.add(SERVER_IP);
        return guest.exec(CLIENT_TIMEOUT, argv.toArray(String[]::new));
    }

    private static void write(Path p, byte[] content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void waitUntil(BooleanSupplier cond, String what) throws InterruptedException {
        Await.until(Duration.ofSeconds(10), what, cond::getAsBoolean);
    }

    private TestNetns track(TestNetns ns) {
        cleanup.add(ns);
        return ns;
    }
}
