package org.vnetd.core.qos;

import java.util.Objects;

/**
 * A new rate for an existing HTB class (libvirt's virNetDevBandwidthUpdateRate): the network's class for
 * unguaranteed traffic after a floor is plugged or unplugged, or a port's class when its floor changes.
 */
public record HtbClassChange(String device, TcHandle classId, long rate, long ceil, long quantum) {
    public HtbClassChange {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(classId, "classId");
    }

    public String describe() {
        return "tc class change dev " + device + " classid " + classId + " htb rate " + rate + "kbps ceil " + ceil + "kbps quantum "
                + quantum;
    }
}
