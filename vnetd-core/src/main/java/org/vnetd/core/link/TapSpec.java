package org.vnetd.core.link;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A tap device: its name (may be a template such as {@code vnet%d}, which the kernel completes; a
 * plain name is created only if no link has it, never attached to an existing tap),
 * the user and group allowed to open it (libvirt gives the qemu user the tap), and the TUNSETIFF
 * features a VM wants: virtio-net header ({@code IFF_VNET_HDR}) and several queues
 * ({@code IFF_MULTI_QUEUE}).
 */
public record TapSpec(String name, OptionalInt ownerUid, OptionalInt ownerGid, boolean vnetHdr, boolean multiQueue) {
    public TapSpec {
        Objects.requireNonNull(ownerUid, "ownerUid");
        Objects.requireNonNull(ownerGid, "ownerGid");
        LinkNames.check(name);
    }

    public static TapSpec of(String name) {
        return new TapSpec(name, OptionalInt.empty(), OptionalInt.empty(), false, false);
    }

    public TapSpec withName(String n) {
        return new TapSpec(n, ownerUid, ownerGid, vnetHdr, multiQueue);
    }

    public TapSpec withOwner(int uid, int gid) {
        return new TapSpec(name, OptionalInt.of(uid), OptionalInt.of(gid), vnetHdr, multiQueue);
    }

    public TapSpec withOwnerUid(int uid) {
        return new TapSpec(name, OptionalInt.of(uid), ownerGid, vnetHdr, multiQueue);
    }

    public TapSpec withVnetHdr(boolean on) {
        return new TapSpec(name, ownerUid, ownerGid, on, multiQueue);
    }

    public TapSpec withMultiQueue(boolean on) {
        return new TapSpec(name, ownerUid, ownerGid, vnetHdr, on);
    }
}
