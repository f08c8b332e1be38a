package org.vnetd.core.qos;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One traffic-control object on a device, as plain data: the qdiscs, HTB classes and filters libvirt's
 * virNetDevBandwidthSet and virNetDevBandwidthPlug create with {@code tc}. Rates are in libvirt's unit,
 * kilobytes per second as tc reads {@code kbps} (1000 bytes/s); bursts in {@code kb} (1024 bytes).
 * {@link #describe} is the {@code tc} command line that makes the object (golden files compare it with
 * libvirt's own commands). The {@code type} names are part of the status file format: never rename one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TcObject.HtbQdisc.class, name = "htb-qdisc"),
        @JsonSubTypes.Type(value = TcObject.HtbClass.class, name = "htb-class"),
        @JsonSubTypes.Type(value = TcObject.SfqQdisc.class, name = "sfq-qdisc"),
        @JsonSubTypes.Type(value = TcObject.FwFilter.class, name = "fw-filter"),
        @JsonSubTypes.Type(value = TcObject.IngressQdisc.class, name = "ingress-qdisc"),
        @JsonSubTypes.Type(value = TcObject.PoliceFilter.class, name = "police-filter"),
        @JsonSubTypes.Type(value = TcObject.MacFilter.class, name = "mac-filter")})
public sealed interface TcObject {
    /** The device the object is on. */
    String device();

    /** The {@code tc} command that creates it. */
    String describe();

    /** What the kernel needs for it (the kernel's config option), for a refusal that names it. */
    KernelFeature feature();

    /** The root HTB qdisc: unclassified traffic goes to class {@code handle:defaultClass}. */
    record HtbQdisc(String device, TcHandle handle, int defaultClass) implements TcObject {
        public HtbQdisc {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(handle, "handle");
        }

        public String describe() {
            return "tc qdisc add dev " + device + " root handle " + handle + " htb default " + Integer.toHexString(defaultClass);
        }

        public KernelFeature feature() {
            return KernelFeature.HTB;
        }
    }

    /**
     * An HTB class. {@code ceil} and {@code burst} are 0 when not given (tc then takes the rate, and a
     * burst of one timer tick plus an MTU).
     */
    record HtbClass(String device, TcHandle parent, TcHandle classId, long rate, long ceil, long burst, long quantum)
            implements TcObject {
        public HtbClass {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(classId, "classId");
        }

        public String describe() {
            return "tc class add dev " + device + " parent " + parent + " classid " + classId + " htb" + options();
        }

        /** {@code rate … [ceil …] [burst …] quantum …}, as both add and change write them. */
        String options() {
            return " rate " + rate + "kbps" + (ceil > 0 ? " ceil " + ceil + "kbps" : "") + (burst > 0 ? " burst " + burst + "kb" : "")
                    + " quantum " + quantum;
        }

        public KernelFeature feature() {
            return KernelFeature.HTB;
        }
    }

    /** Stochastic fairness queueing under a class, so that one flow cannot starve the others in it. */
    record SfqQdisc(String device, TcHandle parent, TcHandle handle, int perturbSeconds) implements TcObject {
        public SfqQdisc {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(handle, "handle");
        }

        public String describe() {
            return "tc qdisc add dev " + device + " parent " + parent + " handle " + handle + " sfq perturb " + perturbSeconds;
        }

        public KernelFeature feature() {
            return KernelFeature.SFQ;
        }
    }

    /**
     * libvirt's firewall-mark filter on the root qdisc ({@code handle 1 fw flowid 1}): packets marked 1 are
     * classified to class id {@code 0:1}, which HTB does not have, so they go to the default class.
     */
    record FwFilter(String device, TcHandle parent, int prio, int handle, int flowId) implements TcObject {
        public FwFilter {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(parent, "parent");
        }

        public String describe() {
            return "tc filter add dev " + device + " parent " + parent.withZero() + " protocol all prio " + prio + " handle "
                    + Integer.toHexString(handle) + " fw flowid " + Integer.toHexString(flowId);
        }

        public KernelFeature feature() {
            return KernelFeature.FW;
        }
    }

    /** The ingress qdisc ({@code ffff:}), where traffic the device receives can be policed. */
    record IngressQdisc(String device) implements TcObject {
        public IngressQdisc {
            Objects.requireNonNull(device, "device");
        }

        public String describe() {
            return "tc qdisc add dev " + device + " ingress";
        }

        public KernelFeature feature() {
            return KernelFeature.INGRESS;
        }
    }

    /**
     * A u32 filter matching every packet on the ingress qdisc, with a police action dropping what exceeds
     * {@code rate} after a {@code burst}; {@code mtu} in kb.
     */
    record PoliceFilter(String device, long rate, long burst, long mtu) implements TcObject {
        public PoliceFilter {
            Objects.requireNonNull(device, "device");
        }

        public String describe() {
            return "tc filter add dev " + device + " parent ffff: protocol all u32 match u32 0 0 police rate " + rate + "kbps burst "
                    + burst + "kb mtu " + mtu + "kb drop flowid :1";
        }

        public KernelFeature feature() {
            return KernelFeature.POLICE;
        }
    }

    /**
     * A u32 filter of the root qdisc putting IPv4 frames to one MAC into a class: libvirt's filter of a port
     * with a floor, handle {@code 800::(800 + id)} (u32's first table is 800), priority 2.
     */
    record MacFilter(String device, int id, String mac, TcHandle flowId) implements TcObject {
        public MacFilter {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(flowId, "flowId");
        }

        /**
         * The u32 handle: table 0x800, and the item tc reads from libvirt's {@code 800::<800+id>}, where
         * 800 + id is written in decimal and read in hexadecimal (id 3 is item 0x803). Items end at 0xfff.
         */
        public int handle() {
            int item = Integer.parseInt(Integer.toString(800 + id), 16);
            if (item > 0xfff) {
                throw new IllegalArgumentException("u32 filter item " + handleText() + " is beyond 0xfff");
            }
            return (0x800 << 20) | item;
        }

        public String handleText() {
            return "800::" + (800 + id);
        }

        public String describe() {
            String[] o = mac.split(":");
            return "tc filter add dev " + device + " protocol ip prio 2 handle " + handleText()
                    + " u32 match u16 0x0800 0xffff at -2 match u32 0x" + o[2] + o[3] + o[4] + o[5] + " 0xffffffff at -12 match u16 0x"
                    + o[0] + o[1] + " 0xffff at -14 flowid " + flowId;
        }

        public KernelFeature feature() {
            return KernelFeature.U32;
        }
    }
}
