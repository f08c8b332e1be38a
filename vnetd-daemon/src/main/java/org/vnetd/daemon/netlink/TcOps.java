package org.vnetd.daemon.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.vnetd.core.link.KernelException;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.qos.HtbClassChange;
import org.vnetd.core.qos.TcBackend;
import org.vnetd.core.qos.TcHandle;
import org.vnetd.core.qos.TcObject;
import org.vnetd.core.qos.TcPlans;

/**
 * Traffic control over rtnetlink (RTM_NEW/DELQDISC, RTM_NEW/DELTCLASS, RTM_NEW/DELTFILTER), encoding what
 * {@code tc} encodes for libvirt's commands: rates in bytes per second ({@code kbps} is 1000 bytes/s),
 * bursts as transmission times in the kernel's 64 ns scheduler ticks, the u32 keys in network byte order.
 * HTB rates carry the Ethernet link layer, so the kernel needs no rate table for them.
 */
final class TcOps implements TcBackend {
    // linux/rtnetlink.h
    static final int RTM_NEWQDISC = 36;
    static final int RTM_DELQDISC = 37;
    static final int RTM_NEWTCLASS = 40;
    static final int RTM_DELTCLASS = 41;
    static final int RTM_NEWTFILTER = 44;
    static final int RTM_DELTFILTER = 45;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCMSG_LEN = 20;
    // linux/pkt_sched.h
    static final int TC_H_ROOT = 0xFFFFFFFF;
    static final int TC_H_INGRESS = 0xFFFFFFF1;
    static final int TCA_HTB_PARMS = 1;
    static final int TCA_HTB_INIT = 2;
    static final int TCA_HTB_RATE64 = 6;
    static final int TCA_HTB_CEIL64 = 7;
    static final int TC_HTB_PROTOVER = 3;
    static final int TC_LINKLAYER_ETHERNET = 1;
    // linux/pkt_cls.h
    static final int TCA_FW_CLASSID = 1;
    static final int TCA_U32_CLASSID = 1;
    static final int TCA_U32_SEL = 5;
    static final int TCA_U32_POLICE = 6;
    static final int TC_U32_TERMINAL = 1;
    static final int TCA_POLICE_TBF = 1;
    static final int TCA_POLICE_RATE = 2;
    static final int TCA_POLICE_RATE64 = 8;
    static final int TC_POLICE_SHOT = 2;
    // linux/if_ether.h
    static final int ETH_P_ALL = 0x0003;
    static final int ETH_P_IP = 0x0800;
    /** The kernel's scheduler ticks (PSCHED_SHIFT 6: 64 ns) per microsecond. */
    static final double TICKS_PER_USEC = 1000.0 / 64;
    /** tc's default MTU for an HTB class's burst: one timer tick's worth of bytes (nothing at these rates) plus this. */
    static final long HTB_DEFAULT_MTU = 1600;
    /** tc's hz from /proc/net/psched on high-resolution kernels (1e9): a default burst's rate share. */
    static final double HZ = 1e9;

    private final NetlinkSocket socket;
    private final LinkOps links;

    TcOps(NetlinkSocket socket, LinkOps links) {
        this.socket = socket;
        this.links = links;
    }

    @Override
    public void add(TcObject object) {
        String op = "tc: " + object.describe() + ":";
        NlMessageWriter m = switch (object) {
            case TcObject.HtbQdisc q -> qdisc(RTM_NEWQDISC, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, q.device(), TC_H_ROOT, q.handle().value(), op)
                    .attrString(TCA_KIND, "htb")
                    .beginNest(TCA_OPTIONS).attr(TCA_HTB_INIT, htbGlob(q.defaultClass())).endNest();
            case TcObject.HtbClass c -> htbClass(Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, c.device(), c.parent().value(), c.classId().value(), c.rate(),
                    c.ceil() > 0 ? c.ceil() : c.rate(), c.burst(), c.quantum(), op);
            case TcObject.SfqQdisc q -> qdisc(RTM_NEWQDISC, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, q.device(), q.parent().value(), q.handle().value(), op)
                    .attrString(TCA_KIND, "sfq").attr(TCA_OPTIONS, sfqOptions(q.perturbSeconds()));
            case TcObject.IngressQdisc q -> qdisc(RTM_NEWQDISC, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, q.device(), TC_H_INGRESS,
                    TcHandle.INGRESS.value(), op).attrString(TCA_KIND, "ingress");
            case TcObject.FwFilter f -> filter(RTM_NEWTFILTER, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, f.device(), f.parent().value(), f.prio(),
                    ETH_P_ALL, f.handle(), op).attrString(TCA_KIND, "fw")
                    .beginNest(TCA_OPTIONS).attrU32(TCA_FW_CLASSID, f.flowId()).endNest();
            case TcObject.MacFilter f -> filter(RTM_NEWTFILTER, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, f.device(), TcPlans.ROOT.value(), 2, ETH_P_IP,
                    f.handle(), op).attrString(TCA_KIND, "u32")
                    .beginNest(TCA_OPTIONS).attrU32(TCA_U32_CLASSID, f.flowId().value()).attr(TCA_U32_SEL, macSelector(f.mac())).endNest();
            case TcObject.PoliceFilter f -> policeFilter(f, op);
        };
        socket.request(m, op, object.device());
    }

    @Override
    public void delete(TcObject object) {
        String op = "tc: delete " + object.describe().replaceFirst("^tc \\S+ add ", "") + ":";
        NlMessageWriter m = switch (object) {
            case TcObject.HtbQdisc q -> qdisc(RTM_DELQDISC, 0, q.device(), TC_H_ROOT, 0, op);
            case TcObject.HtbClass c -> qdisc(RTM_DELTCLASS, 0, c.device(), 0, c.classId().value(), op);
            case TcObject.SfqQdisc q -> qdisc(RTM_DELQDISC, 0, q.device(), q.parent().value(), q.handle().value(), op);
            case TcObject.IngressQdisc q -> qdisc(RTM_DELQDISC, 0, q.device(), TC_H_INGRESS, TcHandle.INGRESS.value(), op);
            case TcObject.FwFilter f -> filter(RTM_DELTFILTER, 0, f.device(), f.parent().value(), f.prio(), ETH_P_ALL, f.handle(), op)
                    .attrString(TCA_KIND, "fw");
            case TcObject.MacFilter f -> filter(RTM_DELTFILTER, 0, f.device(), TcPlans.ROOT.value(), 2, ETH_P_IP, f.handle(), op)
                    .attrString(TCA_KIND, "u32");
            // the police filter goes with the ingress qdisc it is attached to
            case TcObject.PoliceFilter f -> filter(RTM_DELTFILTER, 0, f.device(), TcHandle.INGRESS.value(), 0, ETH_P_ALL, 0, op);
        };
        socket.request(m, op, object.device());
    }

    @Override
    public void change(HtbClassChange c) {
        String op = "tc: " + c.describe() + ":";
        socket.request(htbClass(0, c.device(), 0, c.classId().value(), c.rate(), c.ceil(), 0, c.quantum(), op), op, c.device());
    }

    @Override
    public void clear(String device) {
        for (int parent : new int[] {TC_H_ROOT, TC_H_INGRESS}) {
            String op = "tc: qdisc del dev " + device + (parent == TC_H_ROOT ? " root" : " ingress") + ":";
            try {
                socket.request(qdisc(RTM_DELQDISC, 0, device, parent, parent == TC_H_INGRESS ? TcHandle.INGRESS.value() : 0, op), op, device);
            } catch (KernelException e) {
                // nothing of ours there (ENOENT, or EINVAL for the default qdisc), or the device is gone
                if (e.errno() != Errno.ENOENT && e.errno() != Errno.EINVAL && e.errno() != Errno.ENODEV) {
                    throw e;
                }
            }
        }
    }

    /** The tcmsg header: family, ifindex, handle, parent, info. */
    private NlMessageWriter qdisc(int type, int flags, String device, int parent, int handle, String op) {
        return new NlMessageWriter(type, flags).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(links.indexOf(device, op)).u32(handle).u32(parent).u32(0);
    }

    /** A filter's tcmsg: its info is the priority and the protocol (network order) it matches. */
    private NlMessageWriter filter(int type, int flags, String device, int parent, int prio, int protocol, int handle, String op) {
        int networkOrder = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes((short) protocol) & 0xFFFF : protocol;
        int info = (prio << 16) | networkOrder;
        return new NlMessageWriter(type, flags).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(links.indexOf(device, op)).u32(handle).u32(parent).u32(info);
    }

    private NlMessageWriter htbClass(int flags, String device, int parent, int classId, long rateKbps, long ceilKbps, long burstKb,
            long quantum, String op) {
        long rate = rateKbps * 1000;
        long ceil = ceilKbps * 1000;
        long buffer = burstKb > 0 ? burstKb * 1024 : (long) (rate / HZ) + HTB_DEFAULT_MTU;
        long cbuffer = (long) (ceil / HZ) + HTB_DEFAULT_MTU;
        ByteBuffer opt = buffer(44);
        ratespec(opt, rate);
        ratespec(opt, ceil);
        opt.putInt((int) ticks(rate, buffer));
        opt.putInt((int) ticks(ceil, cbuffer));
        opt.putInt((int) Math.min(quantum, 0xFFFF_FFFFL));
        opt.putInt(0); // level
        opt.putInt(0); // prio
        NlMessageWriter m = qdisc(RTM_NEWTCLASS, flags, device, parent, classId, op).attrString(TCA_KIND, "htb")
                .beginNest(TCA_OPTIONS).attr(TCA_HTB_PARMS, opt.array());
        if (rate > 0xFFFF_FFFFL) {
            m.attr(TCA_HTB_RATE64, u64(rate));
        }
        if (ceil > 0xFFFF_FFFFL) {
            m.attr(TCA_HTB_CEIL64, u64(ceil));
        }
        return m.endNest();
    }

    /** struct tc_ratespec with the Ethernet link layer; a rate beyond 32 bits goes in the *_RATE64 attribute. */
    private static void ratespec(ByteBuffer b, long bytesPerSecond) {
        b.put((byte) 0).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1).putShort((short) 0)
                .putInt((int) Math.min(bytesPerSecond, 0xFFFF_FFFFL));
    }

    /**
     * The time {@code bytes} take at {@code rate} in scheduler ticks, as tc computes it (tc_calc_xmittime: whole
     * microseconds first, so the kernel holds the same value for our objects as for tc's), capped at 32 bits.
     */
    static long ticks(long bytesPerSecond, long bytes) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        long usec = (long) Math.min(1e6 * bytes / bytesPerSecond, 0xFFFF_FFFFL);
        return (long) Math.min(usec * TICKS_PER_USEC, 0xFFFF_FFFFL);
    }

    /** struct tc_htb_glob: version 3, r2q 10, the default class. */
    private static byte[] htbGlob(int defaultClass) {
        ByteBuffer b = buffer(20);
        b.putInt(TC_HTB_PROTOVER).putInt(10).putInt(defaultClass).putInt(0).putInt(0);
        return b.array();
    }

    /** struct tc_sfq_qopt with only the perturbation period set (the kernel's defaults for the rest). */
    private static byte[] sfqOptions(int perturb) {
        ByteBuffer b = buffer(20);
        b.putInt(0).putInt(perturb).putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    /**
     * struct tc_u32_sel with libvirt's three keys: the IPv4 EtherType and the destination MAC, at offsets
     * before the network header (-4, -12, -16 after tc aligns its u16 matches to 32 bits), terminal.
     */
    static byte[] macSelector(String macText) {
        byte[] mac = MacAddress.parse(macText).octets();
        int high = ((mac[0] & 0xFF) << 8) | (mac[1] & 0xFF);
        int low = ((mac[2] & 0xFF) << 24) | ((mac[3] & 0xFF) << 16) | ((mac[4] & 0xFF) << 8) | (mac[5] & 0xFF);
        ByteBuffer b = buffer(16 + 3 * 16);
        selectorHeader(b, 3);
        key(b, 0x0000FFFF, ETH_P_IP, -4);
        key(b, 0xFFFFFFFF, low, -12);
        key(b, 0x0000FFFF, high, -16);
        return b.array();
    }

    private static void selectorHeader(ByteBuffer b, int keys) {
        b.put((byte) TC_U32_TERMINAL).put((byte) 0).put((byte) keys).put((byte) 0);
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0);
    }

    /** struct tc_u32_key: mask and value in network order, offset in host order. */
    private static void key(ByteBuffer b, int mask, int value, int offset) {
        b.order(ByteOrder.BIG_ENDIAN).putInt(mask).putInt(value).order(ByteOrder.nativeOrder());
        b.putInt(offset).putInt(0);
    }

    /** libvirt's outbound policing: match everything on ingress, police at the rate, drop the excess, class :1. */
    private NlMessageWriter policeFilter(TcObject.PoliceFilter f, String op) {
        long rate = f.rate() * 1000;
        long mtu = f.mtu() * 1024;
        ByteBuffer sel = buffer(16 + 16);
        selectorHeader(sel, 1);
        key(sel, 0, 0, 0);
        int cellLog = 0;
        while ((mtu >> cellLog) > 255) {
            cellLog++;
        }
        ByteBuffer police = buffer(56);
        police.putInt(0).putInt(TC_POLICE_SHOT).putInt(0).putInt((int) ticks(rate, f.burst() * 1024)).putInt((int) mtu);
        police.put((byte) cellLog).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1).putShort((short) 0)
                .putInt((int) Math.min(rate, 0xFFFF_FFFFL));
        police.put(new byte[12]); // no peak rate
        police.putInt(0).putInt(0).putInt(0);
        ByteBuffer rtab = buffer(256 * 4);
        for (int i = 0; i < 256; i++) {
            rtab.putInt((int) ticks(rate, (long) (i + 1) << cellLog));
        }
        NlMessageWriter m = filter(RTM_NEWTFILTER, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, f.device(), TcHandle.INGRESS.value(), 0, ETH_P_ALL, 0, op)
                .attrString(TCA_KIND, "u32").beginNest(TCA_OPTIONS)
                .beginNest(TCA_U32_POLICE).attr(TCA_POLICE_TBF, police.array()).attr(TCA_POLICE_RATE, rtab.array());
        if (rate > 0xFFFF_FFFFL) {
            m.attr(TCA_POLICE_RATE64, u64(rate));
        }
        return m.endNest().attrU32(TCA_U32_CLASSID, 1).attr(TCA_U32_SEL, sel.array()).endNest();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private static byte[] u64(long v) {
        return buffer(8).putLong(v).array();
    }
}
