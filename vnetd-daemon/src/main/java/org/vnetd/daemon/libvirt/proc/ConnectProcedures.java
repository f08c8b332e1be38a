package org.vnetd.daemon.libvirt.proc;

import static org.vnetd.daemon.libvirt.proc.Procedure.Access.READ;
import static org.vnetd.daemon.libvirt.proc.Procedure.Access.SETUP;
import static org.vnetd.daemon.libvirt.proc.Procedure.Access.WRITE;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.EVENT_LOOP;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.libvirt.xdr.XdrReader;

/**
 * Connection set-up as libvirt's per-driver daemons serve it (remote_daemon_dispatch.c): auth "none",
 * feature probes, CONNECT_OPEN with the read-only bit, the URI, close callbacks, the forwarded identity.
 * All of them only touch the connection's state, so they run on its event loop.
 */
public final class ConnectProcedures {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectProcedures.class);

    public static final int CONNECT_OPEN = 1;
    public static final int CONNECT_CLOSE = 2;
    public static final int CONNECT_SUPPORTS_FEATURE = 60;
    public static final int AUTH_LIST = 66;
    public static final int CONNECT_GET_URI = 110;
    public static final int CONNECT_IS_SECURE = 149;
    public static final int CONNECT_REGISTER_CLOSE_CALLBACK = 360;
    public static final int CONNECT_UNREGISTER_CLOSE_CALLBACK = 361;
    public static final int CONNECT_SET_IDENTITY = 419;

    /** The URI this daemon serves, as virtnetworkd run by root serves it. */
    public static final String URI = "network:///system";
    /** VIR_CONNECT_RO. */
    static final long CONNECT_RO = 1;
    /** REMOTE_AUTH_NONE. */
    static final int AUTH_NONE = 0;
    /** REMOTE_AUTH_TYPE_LIST_MAX. */
    static final int AUTH_TYPE_LIST_MAX = 20;
    /** REMOTE_CONNECT_IDENTITY_PARAMS_MAX. */
    static final int IDENTITY_PARAMS_MAX = 20;

    // virDrvFeature
    static final int FEATURE_FD_PASSING = 8;
    static final int FEATURE_TYPED_PARAM_STRING = 9;
    static final int FEATURE_PROGRAM_KEEPALIVE = 10;
    static final int FEATURE_REMOTE_EVENT_CALLBACK = 14;
    static final int FEATURE_REMOTE_CLOSE_CALLBACK = 15;
    static final int FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER = 16;
    /** What libvirt's daemon plus its network driver answer 1 to; everything else (migration…) is 0. */
    static final Set<Integer> FEATURES = Set.of(FEATURE_FD_PASSING, FEATURE_TYPED_PARAM_STRING,
            FEATURE_PROGRAM_KEEPALIVE, FEATURE_REMOTE_EVENT_CALLBACK, FEATURE_REMOTE_CLOSE_CALLBACK,
            FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER);

    record OpenArgs(Optional<String> name, long flags) {
    }

    record IdentityArgs(Map<String, Object> params, long flags) {
    }

    private ConnectProcedures() {
    }

    public static List<Procedure<?, ?>> all() {
        return List.of(
                new Procedure<>(CONNECT_OPEN, "virConnectOpen", SETUP, EVENT_LOOP,
                        in -> new OpenArgs(in.readOptional(r -> r.readString(RemoteNetwork.STRING_MAX)), in.readUnsignedInt()),
                        ConnectProcedures::open, Procedure::nothing),
                new Procedure<>(CONNECT_CLOSE, "virConnectClose", SETUP, EVENT_LOOP, Procedure::none, (s, a) -> {
                    s.close();
                    return null;
                }, Procedure::nothing),
                new Procedure<>(CONNECT_SUPPORTS_FEATURE, "virConnectSupportsFeature", SETUP, EVENT_LOOP,
                        XdrReader::readInt, ConnectProcedures::supportsFeature, (w, r) -> w.writeInt(r)),
                new Procedure<>(AUTH_LIST, "virConnectAuthList", SETUP, EVENT_LOOP, Procedure::none,
                        (s, a) -> List.of(AUTH_NONE), (w, r) -> w.writeArray(r, AUTH_TYPE_LIST_MAX, (x, t) -> x.writeInt(t))),
                new Procedure<>(CONNECT_GET_URI, "virConnectGetURI", READ, EVENT_LOOP, Procedure::none,
                        (s, a) -> URI, (w, r) -> w.writeString(r, RemoteNetwork.STRING_MAX)),
                // a Unix socket never leaves the host: libvirt calls that secure
                new Procedure<>(CONNECT_IS_SECURE, "virConnectIsSecure", READ, EVENT_LOOP, Procedure::none,
                        (s, a) -> 1, (w, r) -> w.writeInt(r)),
                new Procedure<>(CONNECT_REGISTER_CLOSE_CALLBACK, "virConnectRegisterCloseCallback", READ, EVENT_LOOP,
                        Procedure::none, (s, a) -> {
                            s.closeCallback(true);
                            return null;
                        }, Procedure::nothing),
                new Procedure<>(CONNECT_UNREGISTER_CLOSE_CALLBACK, "virConnectUnregisterCloseCallback", READ, EVENT_LOOP,
                        Procedure::none, (s, a) -> {
                            s.closeCallback(false);
                            return null;
                        }, Procedure::nothing),
                // the identity only names who a change was made for; a read-only client may not claim one
                new Procedure<>(CONNECT_SET_IDENTITY, "virConnectSetIdentity", WRITE, EVENT_LOOP,
                        in -> new IdentityArgs(TypedParams.read(in, IDENTITY_PARAMS_MAX), in.readUnsignedInt()),
                        ConnectProcedures::setIdentity, Procedure::nothing));
    }

    private static Void open(Session s, OpenArgs a) {
        if (s.isOpen()) {
            throw new LibvirtFault(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_RPC, "internal error: connection already open");
        }
        a.name().filter(n -> !n.isEmpty()).ifPresent(ConnectProcedures::checkUri);
        s.open((a.flags() & CONNECT_RO) != 0);
        LOG.debug("libvirt connection of {} opened {}", s.peer(), s.isReadOnly() ? "read-only" : "read-write");
        return null;
    }

    /** virtnetworkd opens only {@code network:///system} (with query parameters such as {@code socket=}). */
    private static void checkUri(String name) {
        URI uri;
        try {
            uri = new URI(name);
        } catch (URISyntaxException e) {
            throw new LibvirtFault(LibvirtErrors.INVALID_ARG, LibvirtErrors.FROM_NETWORK, "invalid argument: cannot parse URI '" + name + "'");
        }
        if (!"network".equals(uri.getScheme()) || uri.getHost() != null) {
            throw new LibvirtFault(LibvirtErrors.NO_CONNECT, LibvirtErrors.FROM_NONE, "no connection driver available for " + name);
        }
        if (!"/system".equals(uri.getPath())) {
            throw new LibvirtFault(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_NETWORK, "internal error: unexpected network URI path '"
                    + uri.getPath() + "', try network:///system");
        }
    }

    private static int supportsFeature(Session s, int feature) {
        // keepalive is probed before CONNECT_OPEN; everything else needs the connection
        if (feature != FEATURE_PROGRAM_KEEPALIVE && !s.isOpen()) {
            throw notOpen();
        }
        return FEATURES.contains(feature) ? 1 : 0;
    }

    private static Void setIdentity(Session s, IdentityArgs a) {
        LibvirtFault.checkFlags(a.flags(), 0, "virConnectSetIdentity");
        s.identity(a.params());
        LOG.debug("libvirt connection of {} acts for {}", s.peer(), a.params());
        return null;
    }

    /** What libvirt's daemon answers a call that needs CONNECT_OPEN first. */
    public static LibvirtFault notOpen() {
        return new LibvirtFault(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_RPC, "internal error: connection not open");
    }
}
