package org.vnetd.core.link;

/**
 * Per-port settings of a bridge port that libvirt's network XML controls: {@code <bridge
 * macTableManager='libvirt'/>} turns MAC learning and unknown-unicast flooding off on guest ports
 * (vnetd then programs the forwarding entries), and {@code <port isolated='yes'/>} isolates ports from
 * each other (they still reach the bridge and non-isolated ports).
 */
public record BridgePortOptions(boolean learning, boolean unicastFlood, boolean isolated) {
    /** The kernel's defaults for a new port. */
    public static final BridgePortOptions DEFAULTS = new BridgePortOptions(true, true, false);

    /** {@code macTableManager='libvirt'}: no learning, no flooding of unknown unicast. */
    public static BridgePortOptions libvirtManaged() {
        return new BridgePortOptions(false, false, false);
    }

    public BridgePortOptions withIsolated(boolean on) {
        return new BridgePortOptions(learning, unicastFlood, on);
    }
}
