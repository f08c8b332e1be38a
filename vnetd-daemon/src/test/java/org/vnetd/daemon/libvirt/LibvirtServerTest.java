package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.Procedure;
import org.vnetd.daemon.libvirt.proc.ProcedureTable;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtMessage;
import org.vnetd.daemon.libvirt.wire.MessageHeader;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/** The listener and dispatcher over real Unix sockets, with the set-up procedures and a few test procedures. */
@Timeout(60)
class LibvirtServerTest {
    static final int SLOW = 9001;
    static final int CHANGE = 9002;
    static final int READ = 9003;
    static final int FAILS = 9004;

    @TempDir
    Path dir;
    private final CountDownLatch slowGate = new CountDownLatch(1);
    private LibvirtServer server;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = LibvirtServer.start(dir, table(), s -> { });
    }

    private ProcedureTable table() {
        return new ProcedureTable(ConnectProcedures.all(), List.of(
                new Procedure<>(SLOW, "testSlow", Procedure.Access.READ, Procedure.RunsOn.WORKER, Procedure::none, (s, a) -> {
                    try {
                        slowGate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return 42;
                }, XdrWriter::writeInt),
                new Procedure<>(CHANGE, "virNetworkTestChange", Procedure.Access.WRITE, Procedure.RunsOn.WORKER,
                        in -> in.readString(16), (s, a) -> null, Procedure::nothing),
                new Procedure<>(READ, "testRead", Procedure.Access.READ, Procedure.RunsOn.WORKER, Procedure::none,
                        (s, a) -> "hello", (w, r) -> w.writeString(r, 16)),
                new Procedure<>(FAILS, "testFails", Procedure.Access.READ, Procedure.RunsOn.WORKER, Procedure::none, (s, a) -> {
                    throw new VnetException(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name 'x'");
                }, Procedure::nothing)));
    }

    @AfterEach
    void stop() throws Exception {
        slowGate.countDown();
        for (AutoCloseable c : clients) {
            c.close();
        }
        server.close();
    }

    private RawLibvirtClient connect(String socket) throws IOException {
        RawLibvirtClient c = new RawLibvirtClient(dir.resolve(socket));
        clients.add(c);
        return c;
    }

    private RawLibvirtClient open(String socket, int flags) throws IOException {
        RawLibvirtClient c = connect(socket);
        XdrReader auth = c.call(ConnectProcedures.AUTH_LIST, w -> {
        });
        assertEquals(List.of(0), auth.readArray(20, XdrReader::readInt), "auth none only");
        c.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.of("network:///system"), (x, s) -> x.writeString(s, 100))
                .writeUnsignedInt(flags));
        return c;
    }

    @Test
    void socketsHaveLibvirtsNamesAndModes() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LibvirtServer.SOCKET))));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LibvirtServer.READ_ONLY_SOCKET))));
        assertEquals(Path.of("/run/libvirt"), LibvirtServer.socketDir(Path.of("/run/vnetd"), Path.of("/run/vnetd")));
        assertEquals(Path.of("/tmp/x/libvirt"), LibvirtServer.socketDir(Path.of("/tmp/x"), Path.of("/run/vnetd")));
    }

    @Test
    void setUpAsVirshDoesItThenCloseEndsTheConnection() throws IOException {
        RawLibvirtClient c = connect(LibvirtServer.SOCKET);
        c.call(ConnectProcedures.AUTH_LIST, w -> {
        });
        assertEquals(1, c.call(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(10)).readInt(), "keepalive before open");
        c.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.of("network:///system"), (x, s) -> x.writeString(s, 100))
                .writeUnsignedInt(0));
        assertEquals("network:///system", c.call(ConnectProcedures.CONNECT_GET_URI, w -> {
        }).readString(100));
        assertEquals(1, c.call(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(14)).readInt(), "event callbacks");
        assertEquals(1, c.call(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(15)).readInt(), "close callbacks");
        assertEquals(0, c.call(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(6)).readInt(), "no migration");
        c.call(ConnectProcedures.CONNECT_REGISTER_CLOSE_CALLBACK, w -> {
        });
        assertEquals("hello", c.call(READ, w -> {
        }).readString(16));
        c.call(ConnectProcedures.CONNECT_CLOSE, w -> {
        });
        assertTrue(c.closedByServer(), "libvirt's daemon closes the connection after CONNECT_CLOSE's reply");
    }

    @Test
    void anotherSchemeThanNetworkIsNotOpened() throws IOException {
        RawLibvirtClient c = connect(LibvirtServer.SOCKET);
        RemoteError e = c.fail(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.of("qemu:///system"),
                (x, s) -> x.writeString(s, 100)).writeUnsignedInt(0));
        assertEquals("no connection driver available for qemu:///system", e.message());
        assertEquals("internal error: connection not open", c.fail(READ, w -> {
        }).message());
    }

    @Test
    void callsBeforeOpenAreRefusedAsLibvirtRefusesThem() throws IOException {
        RawLibvirtClient c = connect(LibvirtServer.SOCKET);
        assertEquals(new RemoteError(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_RPC, "internal error: connection not open"),
                c.fail(READ, w -> {
                }));
        assertEquals("internal error: connection not open", c.fail(ConnectProcedures.CONNECT_SUPPORTS_FEATURE, w -> w.writeInt(14)).message());
    }

    @Test
    void unknownProceduresAndProgramsGetRpcErrorsAndTheConnectionGoesOn() throws IOException {
        RawLibvirtClient c = open(LibvirtServer.SOCKET, 0);
        assertEquals(new RemoteError(LibvirtErrors.RPC, LibvirtErrors.FROM_RPC, "unknown procedure: 12345"), c.fail(12345, w -> {
        }));
        c.sendRaw(new MessageHeader(0x12345678, 1, 1, MessageHeader.CALL, 77, MessageHeader.OK), w -> {
        });
        LibvirtMessage m = c.receive();
        assertEquals(77, m.header().serial());
        assertEquals(MessageHeader.ERROR, m.header().status());
        assertEquals("Cannot find program 305419896 version 1", RawLibvirtClient.error(m).message());
        assertEquals("hello", c.call(READ, w -> {
        }).readString(16));
    }

    @Test
    void undecodableArgumentsGetAnErrorNamingWhatIsWrong() throws IOException {
        RawLibvirtClient c = open(LibvirtServer.SOCKET, 0);
        RemoteError e = c.fail(CHANGE, w -> w.writeString("a string too long", 100));
        assertEquals(LibvirtErrors.RPC, e.code());
        assertEquals("Unable to decode message payload: string of 17 bytes is longer than its maximum of 16", e.message());
        assertEquals("Unable to decode message payload: 4 unexpected bytes after the arguments", c.fail(READ, w -> w.writeInt(1)).message());
        assertEquals("Network not found: no network with matching name 'x'", c.fail(FAILS, w -> {
        }).message());
        assertEquals(LibvirtErrors.NO_NETWORK, c.fail(FAILS, w -> {
        }).code());
    }

    @Test
    void theReadOnlySocketAndReadOnlyConnectionsDenyChanges() throws IOException {
        RawLibvirtClient ro = open(LibvirtServer.READ_ONLY_SOCKET, 0);
        assertEquals(new RemoteError(LibvirtErrors.OPERATION_DENIED, LibvirtErrors.FROM_NETWORK,
                "operation forbidden: read only access prevents virNetworkTestChange"), ro.fail(CHANGE, w -> w.writeString("x", 16)));
        assertEquals("hello", ro.call(READ, w -> {
        }).readString(16));
        assertEquals(LibvirtErrors.OPERATION_DENIED, ro.fail(ConnectProcedures.CONNECT_SET_IDENTITY, w -> w.writeInt(0).writeInt(0)).code());
        RawLibvirtClient asked = open(LibvirtServer.SOCKET, 1);
        assertEquals(LibvirtErrors.OPERATION_DENIED, asked.fail(CHANGE, w -> w.writeString("x", 16)).code());
        RawLibvirtClient rw = open(LibvirtServer.SOCKET, 0);
        rw.call(CHANGE, w -> w.writeString("x", 16));
        rw.call(ConnectProcedures.CONNECT_SET_IDENTITY, w -> w.writeArray(List.of("user-name"), 20,
                (x, f) -> x.writeString(f, 100).writeInt(7).writeString("root", 100)).writeUnsignedInt(0));
    }

    @Test
    void keepaliveIsAnsweredWhileASlowCallRuns() throws IOException {
        RawLibvirtClient c = open(LibvirtServer.SOCKET, 0);
        int slow = c.send(SLOW, w -> {
        });
        c.sendRaw(MessageHeader.message(MessageHeader.KEEPALIVE_PROGRAM, 1, MessageHeader.KEEPALIVE_PING), w -> {
        });
        LibvirtMessage pong = c.receive();
        assertEquals(MessageHeader.message(MessageHeader.KEEPALIVE_PROGRAM, 1, MessageHeader.KEEPALIVE_PONG), pong.header());
        assertEquals(1, slowGate.getCount(), "the slow call was still running when the pong came");
        slowGate.countDown();
        LibvirtMessage reply = c.receive();
        assertEquals(slow, reply.header().serial());
        assertEquals(42, new XdrReader(io.netty.buffer.Unpooled.wrappedBuffer(reply.payload())).readInt());
    }

    @Test
    void aBadFrameClosesOnlyItsOwnConnection() throws IOException {
        RawLibvirtClient good = open(LibvirtServer.SOCKET, 0);
        RawLibvirtClient bad = connect(LibvirtServer.SOCKET);
        bad.writeBytes(ByteBuffer.allocate(8).putInt(2).putInt(0).flip());
        assertTrue(bad.closedByServer());
        RawLibvirtClient huge = connect(LibvirtServer.SOCKET);
        huge.writeBytes(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).flip());
        assertTrue(huge.closedByServer());
        assertEquals("hello", good.call(READ, w -> {
        }).readString(16));
    }

    @Test
    void failedLookupsAreNotLoggedAtInfoSoNobodyCanFloodTheLog() throws IOException {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                LibvirtConnectionHandler.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        try {
            RawLibvirtClient ro = open(LibvirtServer.READ_ONLY_SOCKET, 0);
            for (int i = 0; i < 3; i++) {
                assertEquals(LibvirtErrors.NO_NETWORK, ro.fail(FAILS, w -> {
                }).code());
            }
            assertEquals(List.of(), seen.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.INFO))
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
        } finally {
            logger.detachAppender(seen);
        }
    }

    @Test
    void theReadOnlySocketHasTheJsonRpcsSmallFrameLimit() throws IOException {
        assertTrue(20_000 > org.vnetd.daemon.rpc.limit.ListenerLimits.readOnlySocket().maxFrameBytes());
        RawLibvirtClient good = open(LibvirtServer.READ_ONLY_SOCKET, 0);
        RawLibvirtClient big = connect(LibvirtServer.READ_ONLY_SOCKET);
        big.writeBytes(ByteBuffer.allocate(8).putInt(20_000).putInt(MessageHeader.REMOTE_PROGRAM).flip());
        assertTrue(big.closedByServer(), "a 20,000-byte frame is refused on the read-only socket before it is buffered");
        assertEquals("hello", good.call(READ, w -> {
        }).readString(16));
    }

    @Test
    void idleConnectionsAreClosedButOnesWaitingForEventsAreNot() throws Exception {
        Path other = dir.resolve("idle");
        org.vnetd.daemon.rpc.EventHub hub = new org.vnetd.daemon.rpc.EventHub();
        org.vnetd.daemon.libvirt.proc.EventProcedures events = new org.vnetd.daemon.libvirt.proc.EventProcedures(hub);
        var limits = org.vnetd.daemon.rpc.limit.ListenerLimits.readWriteSocket(1 << 20).withIdleTimeout(java.time.Duration.ofMillis(300));
        try (LibvirtServer idle = LibvirtServer.start(other, new ProcedureTable(ConnectProcedures.all(), events.all()), events::dropAll,
                limits, limits)) {
            RawLibvirtClient waiting = new RawLibvirtClient(other.resolve(LibvirtServer.SOCKET));
            clients.add(waiting);
            waiting.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.<String>empty(), (x, s) -> x.writeString(s, 1))
                    .writeUnsignedInt(0));
            assertEquals(0, waiting.call(org.vnetd.daemon.libvirt.proc.EventProcedures.CONNECT_NETWORK_EVENT_REGISTER_ANY,
                    w -> w.writeInt(0).writeBool(false)).readInt(), "the first callback id of a connection is 0");
            RawLibvirtClient quiet = new RawLibvirtClient(other.resolve(LibvirtServer.SOCKET));
            clients.add(quiet);
            quiet.call(ConnectProcedures.AUTH_LIST, w -> {
            });
            assertTrue(quiet.closedByServer(), "an idle connection is closed");
            hub.accept(new org.vnetd.core.rpc.NetworkEvent("n", "0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01", "lifecycle", "Started", 0));
            LibvirtMessage event = waiting.receive();
            assertEquals(new MessageHeader(MessageHeader.REMOTE_PROGRAM, 1,
                    org.vnetd.daemon.libvirt.proc.EventProcedures.NETWORK_EVENT_LIFECYCLE, MessageHeader.MESSAGE, 1, MessageHeader.OK),
                    event.header(), "the connection with a callback outlived the idle timeout and got its event");
            XdrReader r = new XdrReader(io.netty.buffer.Unpooled.wrappedBuffer(event.payload()));
            assertEquals(0, r.readInt(), "callback id");
            assertEquals("n", r.readString(100));
            r.readFixedOpaque(16);
            assertEquals(2, r.readInt(), "VIR_NETWORK_EVENT_STARTED");
        }
    }

    @Test
    void aSocketALiveDaemonHoldsIsLeftAloneAndAStaleOneIsReplaced() throws IOException {
        try (LibvirtServer second = LibvirtServer.start(dir, table(), s -> { })) {
            assertEquals(List.of(), second.paths(), "the first server's sockets answer: not taken over");
        }
        assertTrue(Files.exists(dir.resolve(LibvirtServer.SOCKET)), "the second server did not remove what it did not own");
        open(LibvirtServer.SOCKET, 0);
        server.close();
        Path stale = dir.resolve("stale");
        Files.createDirectories(stale);
        // a socket file nobody listens on any more, as a killed daemon leaves it
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(stale.resolve(LibvirtServer.SOCKET)));
        }
        assertTrue(Files.exists(stale.resolve(LibvirtServer.SOCKET)));
        server = LibvirtServer.start(stale, table(), s -> { });
        assertEquals(List.of(stale.resolve(LibvirtServer.SOCKET), stale.resolve(LibvirtServer.READ_ONLY_SOCKET)), server.paths());
        RawLibvirtClient c = new RawLibvirtClient(stale.resolve(LibvirtServer.SOCKET));
        clients.add(c);
        c.call(ConnectProcedures.AUTH_LIST, w -> {
        });
    }
}
