package org.vnetd.daemon.libvirt.proc;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.vnetd.core.rpc.NetworkSummary;
import org.vnetd.daemon.libvirt.xdr.XdrReader;
import org.vnetd.daemon.libvirt.xdr.XdrWriter;

/** libvirt's {@code remote_nonnull_network}: a name and a 16-byte UUID, the handle clients hold. */
public record RemoteNetwork(String name, UUID uuid) {
    /** REMOTE_STRING_MAX: the longest string of the remote program. */
    public static final int STRING_MAX = 4_194_304;
    /** VIR_UUID_BUFLEN. */
    public static final int UUID_BYTES = 16;

    public static RemoteNetwork of(NetworkSummary s) {
        return new RemoteNetwork(s.name(), UUID.fromString(s.uuid()));
    }

    public static RemoteNetwork read(XdrReader in) {
        return new RemoteNetwork(in.readString(STRING_MAX), readUuid(in));
    }

    public void write(XdrWriter w) {
        w.writeString(name, STRING_MAX);
        writeUuid(w, uuid);
    }

    /** {@link #write} with the writer first, for result writers. */
    public static void put(XdrWriter w, RemoteNetwork n) {
        n.write(w);
    }

    public static UUID readUuid(XdrReader in) {
        ByteBuffer b = ByteBuffer.wrap(in.readFixedOpaque(UUID_BYTES));
        return new UUID(b.getLong(), b.getLong());
    }

    public static void writeUuid(XdrWriter w, UUID uuid) {
        w.writeFixedOpaque(ByteBuffer.allocate(UUID_BYTES).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }
}
