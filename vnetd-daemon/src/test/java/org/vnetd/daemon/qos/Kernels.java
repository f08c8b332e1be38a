package org.vnetd.daemon.qos;

import org.vnetd.testing.TestNetns;

/** What the test kernel can do, asked of the kernel itself through {@code tc} in a test namespace. */
final class Kernels {
    private Kernels() {
    }

    /** Whether a u32 filter with a police action is accepted (CONFIG_NET_ACT_POLICE). */
    static boolean hasPoliceAction(TestNetns ns) {
        ns.execOk("ip", "link", "add", "probe0", "type", "bridge");
        try {
            ns.execOk("tc", "qdisc", "add", "dev", "probe0", "ingress");
            return ns.exec("tc", "filter", "add", "dev", "probe0", "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0",
                    "police", "rate", "1kbps", "burst", "1kb", "drop").ok();
        } finally {
            ns.execOk("ip", "link", "del", "probe0");
        }
    }
}
