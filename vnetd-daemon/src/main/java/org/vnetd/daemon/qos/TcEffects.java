package org.vnetd.daemon.qos;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vnetd.core.link.KernelException;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.qos.KernelFeature;
import org.vnetd.core.qos.KernelFeatureMissing;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.qos.TcObject;

/**
 * What one {@link TcObject} does in the kernel, for the plan executor: create it, remove it on undo. A kernel
 * without what an object needs refuses it with a kind it does not know; for an object the limits depend on
 * (HTB, u32, ingress, police) that fails the operation with {@link KernelFeatureMissing}, naming the kernel
 * option. SFQ and the fw filter only refine libvirt's layout (fairness inside one class; marked packets to the
 * default class, where they go without it): without them the rates and floors still hold, so their absence is
 * logged as a warning and recorded ({@link #SKIPPED}), and undo leaves them alone.
 */
public final class TcEffects implements Effects<TcObject> {
    private static final Logger LOG = LoggerFactory.getLogger(TcEffects.class);
    /** The record of an object the kernel could not make: the config option it lacks. */
    public static final String SKIPPED = "skipped-missing";
    static final int ENOENT = 2;
    static final int ENODEV = 19;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int EOPNOTSUPP = 95;

    private final TcBackend tc;

    public TcEffects(TcBackend tc) {
        this.tc = tc;
    }

    @Override
    public Map<String, String> apply(TcObject object) {
        try {
            tc.add(object);
            return Map.of();
        } catch (KernelException e) {
            Optional<KernelFeature> missing = missingFeature(object, e);
            if (missing.isEmpty()) {
                throw e;
            }
            if (missing.get().essential()) {
                throw new KernelFeatureMissing(missing.get(), object.device(), purpose(object), e);
            }
            LOG.warn("{}: this kernel lacks {} ({}): {} is left out, the rates hold without it ({})", object.device(),
                    missing.get().what(), missing.get().config(), purpose(object), e.getMessage());
            return Map.of(SKIPPED, missing.get().config());
        }
    }

    /** Removes the object; what is already gone (with its device, or its parent qdisc) is no error. */
    @Override
    public void undo(TcObject object, Map<String, String> record) {
        if (record.containsKey(SKIPPED)) {
            return;
        }
        try {
            tc.delete(object);
        } catch (KernelException e) {
            if (e.errno() != ENOENT && e.errno() != ENODEV && e.errno() != EINVAL) {
                throw e;
            }
        }
    }

    /**
     * A restarted daemon takes over a device's layout, in order: an object removed behind our back is made
     * again, one that is there (the kernel's EEXIST) is left alone. A u32 filter has no fixed handle to collide
     * on, so the police filter is made again only when its ingress qdisc had to be; {@code remade} collects the
     * devices whose qdiscs were.
     */
    public Map<String, String> adopt(TcObject object, Map<String, String> record, java.util.Set<String> remade) {
        if (record.containsKey(SKIPPED) || (object instanceof TcObject.PoliceFilter && !remade.contains(object.device() + " ingress"))
                || object instanceof TcObject.FwFilter && !remade.contains(object.device() + " root")) {
            return record;
        }
        try {
            Map<String, String> r = apply(object);
            LOG.warn("{}: '{}' was removed behind our back; made it again", object.device(), object.describe());
            if (object instanceof TcObject.HtbQdisc) {
                remade.add(object.device() + " root");
            } else if (object instanceof TcObject.IngressQdisc) {
                remade.add(object.device() + " ingress");
            }
            return r;
        } catch (KernelException e) {
            if (e.errno() == EEXIST) {
                return record;
            }
            throw e;
        }
    }

    /**
     * Undo of a device's whole layout, in reverse (libvirt's virNetDevBandwidthClear on a network's teardown): the
     * root and ingress qdiscs take their classes and filters with them, so only they are deleted; a class deleted
     * on its own would be refused while ports' floor classes hang under it.
     */
    public void undoWithQdisc(TcObject object, Map<String, String> record) {
        if (object instanceof TcObject.HtbQdisc || object instanceof TcObject.IngressQdisc) {
            undo(object, record);
        }
    }

    /**
     * The kernel's answer to a kind it was built without: ENOENT ("Specified qdisc kind is unknown", "TC
     * classifier not found") or, for an action, the failure to load its module.
     */
    static Optional<KernelFeature> missingFeature(TcObject object, KernelException e) {
        String text = e.kernelMessage().orElse("").toLowerCase(java.util.Locale.ROOT);
        boolean unknownKind = text.contains("kind is unknown") || text.contains("classifier not found") || text.contains("action module");
        if (!unknownKind && !(text.isEmpty() && (e.errno() == ENOENT || e.errno() == EOPNOTSUPP))) {
            return Optional.empty();
        }
        return Optional.of(object.feature());
    }

    /** What the object does for the user, for messages. */
    static String purpose(TcObject object) {
        return switch (object) {
            case TcObject.HtbQdisc q -> "inbound <bandwidth> (shaping what the guests receive)";
            case TcObject.HtbClass c -> "inbound <bandwidth> (shaping what the guests receive)";
            case TcObject.SfqQdisc q -> "fair queueing of the flows inside one class";
            case TcObject.FwFilter f -> "libvirt's firewall-mark filter";
            case TcObject.IngressQdisc q -> "outbound <bandwidth> (policing what the guests send)";
            case TcObject.PoliceFilter f -> "outbound <bandwidth> (policing what the guests send)";
            case TcObject.MacFilter f -> "an inbound floor (a guest's guaranteed share)";
        };
    }
}
