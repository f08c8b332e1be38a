package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.NetworkProcedures;
import org.vnetd.daemon.libvirt.wire.MessageCodec;
import org.vnetd.daemon.libvirt.wire.MessageHeader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * A seeded fuzz run against the real daemon's read-only libvirt socket (so no mutated call can change a
 * network): 10,000 malformed and mutated frames (bad lengths, truncated XDR, strings past their maximum,
 * unknown programs, procedures and types, calls before open), each on a connection of its own that the
 * client half-closes. Every case must end (replies, then the server's close) within a bound, every
 * reply must be a well-formed frame, and a connection opened before the run keeps being served.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LibvirtFuzzNetnsTest {
    static final int CASES = 10_000;
    static final long SEED = 0x6c69627669727431L;

    @Test
    void malformedFramesGetRepliesOrAClosedConnectionAndOthersAreStillServed(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft");
        Path dir = tmp.resolve("vnetd");
        try (TestNetns ns = TestNetns.create("lvfuzz");
                VnetdProcess vnetd = new VnetdProcess(ns, dir, "WARN").start(() -> DaemonRpc.answers(dir.resolve("run"))
                        && Files.exists(dir.resolve("run/libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET)));
                ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            Path ro = vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET);
            RawLibvirtClient good = new RawLibvirtClient(ro);
            good.call(ConnectProcedures.AUTH_LIST, w -> {
            });
            good.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.<String>empty(), (x, s) -> x.writeString(s, 1))
                    .writeUnsignedInt(0));
            List<byte[]> corpus = corpus();
            SplittableRandom random = new SplittableRandom(SEED);
            int replies = 0;
            for (int i = 0; i < CASES; i++) {
                byte[] frame = mutate(corpus.get(random.nextInt(corpus.size())), random);
                boolean open = random.nextBoolean();
                try {
                    replies += runCase(ro, open ? corpus.get(1) : null, frame, readers);
                } catch (TimeoutException e) {
                    throw new AssertionError("case " + i + " hung: " + ByteBufUtil.hexDump(frame) + "\n" + vnetd.log());
                }
                if (i % 1000 == 999) {
                    assertEquals("default", good.call(NetworkProcedures.NETWORK_LOOKUP_BY_NAME, w -> w.writeString("default", 100))
                            .readString(100), "the connection opened before the run is still served (case " + i + ")");
                }
            }
            System.out.println("libvirt fuzz: " + CASES + " cases (seed 0x" + Long.toHexString(SEED) + "), " + replies + " replies");
            assertTrue(replies > CASES / 4, "most cases got a reply, not only a closed connection: " + replies);
            assertTrue(vnetd.log().lines().noneMatch(l -> l.startsWith("ERROR") || l.contains("OutOfMemoryError")),
                    vnetd.log());
            good.close();
        }
    }

    /** One case: connect, maybe open, send the frame, half-close; read every reply until the server closes. */
    private static int runCase(Path socket, byte[] openFrame, byte[] frame, ExecutorService readers) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            if (openFrame != null) {
                write(ch, openFrame);
            }
            write(ch, frame);
            ch.shutdownOutput();
            Future<Integer> frames = readers.submit(() -> readFrames(ch));
            try {
                return frames.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                frames.cancel(true);
                throw e;
            }
        }
    }

    private static void write(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            // the server may close while we write a frame it already refused; what it sent is still read
        }
    }

    /** Reads replies until EOF; each must be a whole, well-formed frame. */
    private static int readFrames(SocketChannel ch) throws IOException {
        int n = 0;
        ByteBuffer len = ByteBuffer.allocate(4);
        while (true) {
            len.clear();
            if (!fill(ch, len)) {
                return n;
            }
            int length = len.flip().getInt();
            if (length < 4 + MessageHeader.SIZE || length > MessageCodec.MAX_MESSAGE + 4) {
                throw new AssertionError("the server sent a frame of length " + length);
            }
            ByteBuffer body = ByteBuffer.allocate(length - 4);
            if (!fill(ch, body)) {
                throw new AssertionError("the server's frame was cut short");
            }
            n++;
        }
    }

    private static boolean fill(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int r;
            try {
                r = ch.read(b);
            } catch (IOException e) {
                return false; // reset by the server
            }
            if (r < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] call(int procedure, Consumer<XdrWriter> args) {
        ByteBuf b = MessageCodec.encode(ByteBufAllocator.DEFAULT, new MessageHeader(MessageHeader.REMOTE_PROGRAM, 1, procedure,
                MessageHeader.CALL, 1, MessageHeader.OK), args);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static List<byte[]> corpus() {
        byte[] uuid = new byte[16];
        List<byte[]> c = new ArrayList<>();
        c.add(call(ConnectProcedures.AUTH_LIST, w -> {
        }));
        c.add(call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.of("network:///system"), (x, s) -> x.writeString(s, 100))
                .writeUnsignedInt(0)));
        c.add(call(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(10)));
        c.add(call(ConnectProcedures.CONNECT_GET_URI, w -> {
        }));
        c.add(call(NetworkProcedures.CONNECT_LIST_ALL_NETWORKS, w -> w.writeInt(1).writeUnsignedInt(0)));
        c.add(call(NetworkProcedures.NETWORK_LOOKUP_BY_NAME, w -> w.writeString("default", 100)));
        c.add(call(NetworkProcedures.NETWORK_LOOKUP_BY_UUID, w -> w.writeFixedOpaque(uuid)));
        c.add(call(NetworkProcedures.NETWORK_GET_XML_DESC, w -> w.writeString("default", 100).writeFixedOpaque(uuid).writeUnsignedInt(1)));
        c.add(call(NetworkProcedures.NETWORK_GET_DHCP_LEASES, w -> w.writeString("default", 100).writeFixedOpaque(uuid)
                .writeOptional(Optional.of("52:54:00:00:00:01"), (x, s) -> x.writeString(s, 100)).writeInt(1).writeUnsignedInt(0)));
        c.add(call(NetworkProcedures.NETWORK_DESTROY, w -> w.writeString("default", 100).writeFixedOpaque(uuid)));
        c.add(call(NetworkProcedures.NETWORK_UPDATE, w -> w.writeString("default", 100).writeFixedOpaque(uuid).writeUnsignedInt(3)
                .writeUnsignedInt(4).writeInt(-1).writeString("<host mac='52:54:00:00:00:09' ip='192.168.122.9'/>", 1000)
                .writeUnsignedInt(0)));
        c.add(call(ConnectProcedures.CONNECT_SET_IDENTITY, w -> w.writeArray(List.of("user-name"), 20,
                (x, f) -> x.writeString(f, 100).writeInt(7).writeString("root", 100)).writeUnsignedInt(0)));
        ByteBuf ping = MessageCodec.encode(ByteBufAllocator.DEFAULT, MessageHeader.message(MessageHeader.KEEPALIVE_PROGRAM, 1,
                MessageHeader.KEEPALIVE_PING), w -> {
                });
        c.add(ByteBufUtil.getBytes(ping));
        ping.release();
        return c;
    }

    /** One of: flipped bytes, a truncated or padded payload, a wrong length word, a huge string length, a random header field. */
    static byte[] mutate(byte[] base, SplittableRandom r) {
        byte[] b = base.clone();
        switch (r.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> {
                // truncated XDR with a consistent length word
                int cut = 28 + r.nextInt(Math.max(1, b.length - 28));
                b = java.util.Arrays.copyOf(b, Math.min(cut, b.length));
                ByteBuffer.wrap(b).putInt(0, b.length);
            }
            case 2 -> {
                // a length word that lies: too small, too large, or past the maximum
                int[] lies = {0, 3, 4, 8, 27, b.length + 1 + r.nextInt(100), MessageCodec.MAX_MESSAGE + 5, -1};
                ByteBuffer.wrap(b).putInt(0, lies[r.nextInt(lies.length)]);
            }
            case 3 -> {
                // a string or array length past its maximum, where the payload starts
                if (b.length >= 32) {
                    ByteBuffer.wrap(b).putInt(28, r.nextBoolean() ? 0x7fff_fff0 : 4_194_305);
                }
            }
            case 4 -> ByteBuffer.wrap(b).putInt(4 + 4 * r.nextInt(6), r.nextInt());
            case 5 -> ByteBuffer.wrap(b).putInt(12, r.nextInt(1000)); // any procedure, most unknown
            default -> {
                // trailing garbage inside the frame
                int extra = 1 + r.nextInt(64);
                byte[] longer = java.util.Arrays.copyOf(b, b.length + extra);
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt(256);
                }
                ByteBuffer.wrap(longer).putInt(0, longer.length);
                b = longer;
            }
        }
        return b;
    }
}
