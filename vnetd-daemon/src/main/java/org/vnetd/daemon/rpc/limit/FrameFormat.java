package org.vnetd.daemon.rpc.limit;

/**
 * How a protocol frames its messages: a 4-byte big-endian length, then the message. vnetd's JSON RPC counts
 * only the message in the length; libvirt's remote protocol (an XDR record) counts the length word too.
 *
 * @param lengthIncludesHeader the length counts its own 4 bytes
 * @param stripHeader          frames are passed on without their length (else with it)
 */
public record FrameFormat(boolean lengthIncludesHeader, boolean stripHeader) {
    public static final int HEADER_BYTES = 4;

    /** vnetd's JSON RPC (docs/rpc.md): the length counts the JSON only; handlers get the JSON. */
    public static final FrameFormat JSON_RPC = new FrameFormat(false, true);

    /** libvirt's remote protocol: the length counts itself; handlers get header and payload (as its MessageCodec). */
    public static final FrameFormat LIBVIRT_REMOTE = new FrameFormat(true, true);

    /** The payload length a header announces, -1 when the header is impossible (shorter than itself). */
    long payloadLength(long announced) {
        if (!lengthIncludesHeader) {
            return announced;
        }
        return announced < HEADER_BYTES ? -1 : announced - HEADER_BYTES;
    }
}
