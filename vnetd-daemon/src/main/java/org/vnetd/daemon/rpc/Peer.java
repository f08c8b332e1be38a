package org.vnetd.daemon.rpc;

/** Who is on the other end of a connection, from {@code SO_PEERCRED}; -1 when the kernel did not say. */
public record Peer(int pid, int uid, int gid) {
    public static final Peer UNKNOWN = new Peer(-1, -1, -1);

    @Override
    public String toString() {
        return "pid=" + pid + " uid=" + uid + " gid=" + gid;
    }
}
