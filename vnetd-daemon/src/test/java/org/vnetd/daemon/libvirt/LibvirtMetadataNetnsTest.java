package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.EventProcedures;
import org.vnetd.daemon.libvirt.proc.MetadataProcedures;
import org.vnetd.daemon.libvirt.proc.NetworkProcedures;
import org.vnetd.daemon.libvirt.proc.RemoteNetwork;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtMessage;
import org.vnetd.daemon.libvirt.wire.MessageHeader;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import io.netty.buffer.Unpooled;

/**
 * libvirt 9.7's network metadata calls (NETWORK_SET/GET_METADATA) and the metadata-change event against
 * the real daemon, through the raw protocol (Debian 12's virsh and python3-libvirt predate them): each
 * metadata type, live and config copies, libvirt's "metadata not found" error, the read-only socket's
 * denial, and the event on a callback registered for that network only.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LibvirtMetadataNetnsTest {
    private static final int DESCRIPTION = 0;
    private static final int TITLE = 1;
    private static final int ELEMENT = 2;
    private static final long LIVE = 1;
    private static final long CONFIG = 2;
    private static final String URI = "http://example.org/vnetd-test/1";
    private static final int MAX = RemoteNetwork.STRING_MAX;

    @Test
    void metadataIsSetReadAndAnnouncedAsLibvirtDoesIt(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft");
        Path dir = tmp.resolve("vnetd");
        try (TestNetns ns = TestNetns.create("lvmeta");
                VnetdProcess vnetd = new VnetdProcess(ns, dir, "INFO").start(() -> DaemonRpc.answers(dir.resolve("run"))
                        && Files.exists(dir.resolve("run/libvirt").resolve(LibvirtServer.READ_ONLY_SOCKET)));
                RawLibvirtClient rw = open(vnetd, LibvirtServer.SOCKET);
                RawLibvirtClient ro = open(vnetd, LibvirtServer.READ_ONLY_SOCKET);
                RawLibvirtClient watcher = open(vnetd, LibvirtServer.SOCKET);
                RawLibvirtClient otherWatcher = open(vnetd, LibvirtServer.READ_ONLY_SOCKET)) {
            RemoteNetwork md = RemoteNetwork.read(rw.call(NetworkProcedures.NETWORK_DEFINE_XML, w -> w.writeString(
                    "<network><name>md</name><bridge name='vnmd0'/><ip address='10.77.5.1' netmask='255.255.255.0'/></network>", MAX)));
            RemoteNetwork md2 = RemoteNetwork.read(rw.call(NetworkProcedures.NETWORK_DEFINE_XML, w -> w.writeString(
                    "<network><name>md2</name><bridge name='vnmd1'/><ip address='10.77.6.1' netmask='255.255.255.0'/></network>", MAX)));
            rw.call(NetworkProcedures.NETWORK_CREATE, w -> RemoteNetwork.put(w, md));
            assertEquals(0, watcher.call(EventProcedures.CONNECT_NETWORK_EVENT_REGISTER_ANY,
                    w -> w.writeInt(1).writeOptional(Optional.of(md), RemoteNetwork::put)).readInt(), "metadata-change callback id");
            assertEquals(0, otherWatcher.call(EventProcedures.CONNECT_NETWORK_EVENT_REGISTER_ANY,
                    w -> w.writeInt(1).writeOptional(Optional.of(md2), RemoteNetwork::put)).readInt());

            // description on both copies; no flag reads the running network's
            set(rw, md, DESCRIPTION, "a test network", null, null, LIVE | CONFIG);
            assertEquals("a test network", get(rw, md, DESCRIPTION, null, 0));
            assertEquals("a test network", get(rw, md, DESCRIPTION, null, CONFIG));
            assertEvent(watcher.receive(), md, DESCRIPTION, null);

            // a title on the live copy only: the definition has none
            set(rw, md, TITLE, "live title", null, null, LIVE);
            assertEquals("live title", get(ro, md, TITLE, null, LIVE), "reads work on the read-only socket");
            assertNoMetadata(rw.fail(MetadataProcedures.NETWORK_GET_METADATA, getArgs(md, TITLE, null, CONFIG)));
            assertEvent(watcher.receive(), md, TITLE, null);

            // an element in its namespace, in the definition only
            set(rw, md, ELEMENT, "<owner team='net'>ops</owner>", "app", URI, CONFIG);
            String element = get(rw, md, ELEMENT, URI, CONFIG);
            assertTrue(element.contains("owner") && element.contains(URI) && element.contains("team=\"net\"")
                    && element.contains(">ops<"), element);
            assertEquals("a test network", get(rw, md, DESCRIPTION, null, CONFIG), "the description is still there beside it");
            assertNoMetadata(rw.fail(MetadataProcedures.NETWORK_GET_METADATA, getArgs(md, ELEMENT, URI, LIVE)));
            assertEvent(watcher.receive(), md, ELEMENT, URI);
            String inactiveXml = rw.call(NetworkProcedures.NETWORK_GET_XML_DESC, w -> {
                RemoteNetwork.put(w, md);
                w.writeUnsignedInt(1); // VIR_NETWORK_XML_INACTIVE
            }).readString(MAX);
            assertTrue(inactiveXml.contains("<metadata>") && inactiveXml.contains("app:owner"), inactiveXml);

            // a null value removes the element
            set(rw, md, ELEMENT, null, null, URI, CONFIG);
            assertNoMetadata(rw.fail(MetadataProcedures.NETWORK_GET_METADATA, getArgs(md, ELEMENT, URI, CONFIG)));
            assertEvent(watcher.receive(), md, ELEMENT, URI);

            // the read-only socket refuses changes, naming libvirt's function
            RemoteError denied = ro.fail(MetadataProcedures.NETWORK_SET_METADATA, setArgs(md, TITLE, "x", null, null, 0));
            assertEquals(new RemoteError(LibvirtErrors.OPERATION_DENIED, LibvirtErrors.FROM_NETWORK,
                    "operation forbidden: read only access prevents virNetworkSetMetadata"), denied);
            RemoteError badType = rw.fail(MetadataProcedures.NETWORK_GET_METADATA, getArgs(md, 3, null, 0));
            assertEquals(new RemoteError(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK,
                    "invalid argument: unknown metadata type '3'"), badType);
            RemoteError liveOfInactive = rw.fail(MetadataProcedures.NETWORK_SET_METADATA, setArgs(md2, TITLE, "x", null, null, LIVE));
            assertEquals(LibvirtErrors.OPERATION_INVALID, liveOfInactive.code(), liveOfInactive.message());

            // the callback for md2 saw none of md's events: its first event is md2's own
            set(rw, md2, TITLE, "second", null, null, 0);
            assertEquals("second", get(rw, md2, TITLE, null, 0));
            assertEvent(otherWatcher.receive(), md2, TITLE, null);
            assertFalse(vnetd.log().lines().anyMatch(l -> l.startsWith("ERROR")), vnetd.log());
        }
    }

    private static RawLibvirtClient open(VnetdProcess vnetd, String socket) throws IOException {
        RawLibvirtClient c = new RawLibvirtClient(vnetd.runDir().resolve("libvirt").resolve(socket));
        c.call(ConnectProcedures.AUTH_LIST, w -> {
        });
        c.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.<String>empty(), (x, s) -> x.writeString(s, 1))
                .writeUnsignedInt(0));
        return c;
    }

    private static void set(RawLibvirtClient c, RemoteNetwork n, int type, String value, String key, String uri, long flags)
            throws IOException {
        c.call(MetadataProcedures.NETWORK_SET_METADATA, setArgs(n, type, value, key, uri, flags)).end();
    }

    /** remote_network_set_metadata_args. */
    private static java.util.function.Consumer<XdrWriter> setArgs(RemoteNetwork n, int type, String value, String key, String uri,
            long flags) {
        return w -> {
            RemoteNetwork.put(w, n);
            w.writeInt(type);
            optional(w, value);
            optional(w, key);
            optional(w, uri);
            w.writeUnsignedInt(flags);
        };
    }

    private static String get(RawLibvirtClient c, RemoteNetwork n, int type, String uri, long flags) throws IOException {
        XdrReader r = c.call(MetadataProcedures.NETWORK_GET_METADATA, getArgs(n, type, uri, flags));
        String s = r.readString(MAX);
        r.end();
        return s;
    }

    /** remote_network_get_metadata_args. */
    private static java.util.function.Consumer<XdrWriter> getArgs(RemoteNetwork n, int type, String uri, long flags) {
        return w -> {
            RemoteNetwork.put(w, n);
            w.writeInt(type);
            optional(w, uri);
            w.writeUnsignedInt(flags);
        };
    }

    private static void optional(XdrWriter w, String s) {
        w.writeOptional(Optional.ofNullable(s), (x, v) -> x.writeString(v, MAX));
    }

    private static void assertNoMetadata(RemoteError e) {
        assertEquals(new RemoteError(LibvirtErrors.NO_NETWORK_METADATA, LibvirtErrors.FROM_NETWORK,
                "metadata not found: Requested metadata element is not present"), e);
    }

    /** remote_network_event_callback_metadata_change_msg for callback 0. */
    private static void assertEvent(LibvirtMessage m, RemoteNetwork n, int type, String uri) {
        assertEquals(new MessageHeader(MessageHeader.REMOTE_PROGRAM, MessageHeader.REMOTE_VERSION,
                EventProcedures.NETWORK_EVENT_CALLBACK_METADATA_CHANGE, MessageHeader.MESSAGE, 1, MessageHeader.OK), m.header());
        XdrReader r = new XdrReader(Unpooled.wrappedBuffer(m.payload()));
        assertEquals(0, r.readInt(), "callback id");
        assertEquals(n, RemoteNetwork.read(r));
        assertEquals(type, r.readInt(), "virNetworkMetadataType");
        assertEquals(Optional.ofNullable(uri), r.readOptional(x -> x.readString(MAX)), "nsuri");
        r.end();
    }
}
