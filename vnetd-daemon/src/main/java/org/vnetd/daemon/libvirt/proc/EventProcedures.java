package org.vnetd.daemon.libvirt.proc;

import static org.vnetd.daemon.libvirt.proc.Procedure.Access.READ;
import static org.vnetd.daemon.libvirt.proc.Procedure.RunsOn.EVENT_LOOP;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.rpc.NetworkEvent;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.LibvirtFault;
import org.vnetd.daemon.rpc.EventHub;

/**
 * Network events as libvirt's daemon relays them: a connection registers callbacks (each with an id of
 * its own, for one event id, optionally for one network, filtered here by UUID) and receives
 * NETWORK_EVENT_LIFECYCLE or NETWORK_EVENT_CALLBACK_METADATA_CHANGE messages from the same
 * {@link EventHub} the JSON RPC's subscribers use.
 */
public final class EventProcedures {
    private static final Logger LOG = LoggerFactory.getLogger(EventProcedures.class);
    public static final int CONNECT_NETWORK_EVENT_REGISTER_ANY = 313;
    public static final int CONNECT_NETWORK_EVENT_DEREGISTER_ANY = 314;
    public static final int NETWORK_EVENT_LIFECYCLE = 315;
    public static final int NETWORK_EVENT_CALLBACK_METADATA_CHANGE = 446;

    /** VIR_NETWORK_EVENT_ID_LIFECYCLE. */
    static final int EVENT_ID_LIFECYCLE = 0;
    /** VIR_NETWORK_EVENT_ID_METADATA_CHANGE (libvirt 9.8). */
    static final int EVENT_ID_METADATA_CHANGE = 1;
    /** virNetworkEventLifecycleType, in libvirt's order. */
    static final List<String> LIFECYCLE = List.of(NetworkEvent.DEFINED, NetworkEvent.UNDEFINED, NetworkEvent.STARTED,
            NetworkEvent.STOPPED);

    record Register(int eventId, Optional<RemoteNetwork> net) {
    }

    private final EventHub hub;

    public EventProcedures(EventHub hub) {
        this.hub = hub;
    }

    public List<Procedure<?, ?>> all() {
        return List.of(
                new Procedure<>(CONNECT_NETWORK_EVENT_REGISTER_ANY, "virConnectNetworkEventRegisterAny", READ, EVENT_LOOP,
                        in -> new Register(in.readInt(), in.readOptional(RemoteNetwork::read)), this::register,
                        (w, id) -> w.writeInt(id)),
                new Procedure<>(CONNECT_NETWORK_EVENT_DEREGISTER_ANY, "virConnectNetworkEventDeregisterAny", READ, EVENT_LOOP,
                        in -> in.readInt(), this::deregister, Procedure::nothing));
    }

    private int register(Session s, Register r) {
        String event = switch (r.eventId()) {
            case EVENT_ID_LIFECYCLE -> NetworkEvent.LIFECYCLE;
            case EVENT_ID_METADATA_CHANGE -> NetworkEvent.METADATA_CHANGE;
            default -> throw new LibvirtFault(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_RPC,
                    "internal error: unsupported network event ID " + r.eventId());
        };
        String network = r.net().map(n -> n.uuid().toString()).orElse(null);
        boolean lifecycle = event.equals(NetworkEvent.LIFECYCLE);
        int id = s.addCallback(cb -> hub.subscribe(new EventHub.Filter(network, event), e -> {
            if (lifecycle) {
                pushLifecycle(s, cb, e);
            } else {
                pushMetadataChange(s, cb, e);
            }
        }));
        LOG.debug("libvirt connection of {} registered {} callback {} for {}", s, event, id, network == null ? "every network" : network);
        return id;
    }

    private Void deregister(Session s, int id) {
        Long sub = s.removeCallback(id);
        if (sub == null) {
            throw new LibvirtFault(LibvirtErrors.INTERNAL_ERROR, LibvirtErrors.FROM_RPC,
                    "internal error: network event callback " + id + " not registered");
        }
        hub.unsubscribe(sub);
        return null;
    }

    /** Ends every subscription of a connection that is gone. */
    public void dropAll(Session s) {
        s.takeCallbacks().forEach(hub::unsubscribe);
    }

    private static void pushLifecycle(Session s, int callbackId, NetworkEvent e) {
        int type = LIFECYCLE.indexOf(e.detail());
        if (type < 0) {
            return; // a lifecycle detail libvirt has no number for
        }
        RemoteNetwork net = new RemoteNetwork(e.network(), UUID.fromString(e.uuid()));
        s.sink().push(NETWORK_EVENT_LIFECYCLE, w -> {
            w.writeInt(callbackId);
            net.write(w);
            w.writeInt(type).writeInt(0);
        });
    }

    /** remote_network_event_callback_metadata_change_msg: the type as virNetworkMetadataType, the uri for elements. */
    private static void pushMetadataChange(Session s, int callbackId, NetworkEvent e) {
        int type = MetadataProcedures.TYPES.indexOf(e.detail());
        if (type < 0) {
            return;
        }
        RemoteNetwork net = new RemoteNetwork(e.network(), UUID.fromString(e.uuid()));
        s.sink().push(NETWORK_EVENT_CALLBACK_METADATA_CHANGE, w -> {
            w.writeInt(callbackId);
            net.write(w);
            w.writeInt(type);
            w.writeOptional(Optional.ofNullable(e.uri()), (x, u) -> x.writeString(u, RemoteNetwork.STRING_MAX));
        });
    }
}
