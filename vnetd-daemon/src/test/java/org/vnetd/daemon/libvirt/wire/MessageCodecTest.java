package org.vnetd.daemon.libvirt.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.daemon.libvirt.xdr.XdrException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

class MessageCodecTest {
    /** As the listener has it: the guard's frame decoder (libvirt's framing) before the message decoder. */
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new io.netty.handler.codec.LengthFieldBasedFrameDecoder(MessageCodec.MAX_MESSAGE + 4, 0, 4, -4, 4),
                MessageDecoder.INSTANCE);
    }

    @Test
    void aFrameIsItsLengthIncludingItselfThenTheHeaderThenThePayload() {
        MessageHeader h = new MessageHeader(MessageHeader.REMOTE_PROGRAM, 1, 46, MessageHeader.CALL, 7, MessageHeader.OK);
        ByteBuf frame = MessageCodec.encode(ByteBufAllocator.DEFAULT, h, w -> w.writeString("default", 100));
        assertEquals("00000028" + "20008086" + "00000001" + "0000002e" + "00000000" + "00000007" + "00000000"
                + "00000007" + "64656661756c7400", ByteBufUtil.hexDump(frame));
        EmbeddedChannel ch = channel();
        // split across reads, as a stream may deliver it
        ch.writeInbound(frame.readRetainedSlice(10));
        ch.writeInbound(frame);
        LibvirtMessage m = ch.readInbound();
        assertEquals(h, m.header());
        assertArrayEquals(new byte[] {0, 0, 0, 7, 'd', 'e', 'f', 'a', 'u', 'l', 't', 0}, m.payload());
        assertFalse(ch.finish());
    }

    @Test
    void aFrameShorterThanAHeaderFailsTheStream() {
        EmbeddedChannel ch = channel();
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(Unpooled.buffer().writeInt(8).writeInt(1)));
        assertEquals(XdrException.class, e.getCause().getClass());
    }

    @Test
    void aReplyPastTheMaximumIsRefusedBeforeAnythingIsWritten() {
        MessageHeader h = new MessageHeader(MessageHeader.REMOTE_PROGRAM, 1, 43, MessageHeader.REPLY, 1, MessageHeader.OK);
        byte[] big = new byte[4_000_000];
        assertThrows(XdrException.class, () -> MessageCodec.encode(ByteBufAllocator.DEFAULT, h, w -> {
            for (int i = 0; i < 9; i++) {
                w.writeOpaque(big, big.length);
            }
        }));
    }

    @Test
    void errorsKeepLibvirtsWordingAndGetItsCodes() {
        RemoteError e = LibvirtErrors.of(new VnetException(ErrorCode.NO_SUCH_NETWORK, "Network not found: no network with matching name 'x'"));
        assertEquals(new RemoteError(LibvirtErrors.NO_NETWORK, LibvirtErrors.FROM_NETWORK,
                "Network not found: no network with matching name 'x'"), e);
        assertEquals(new RemoteError(LibvirtErrors.OPERATION_INVALID, LibvirtErrors.FROM_NETWORK,
                "Requested operation is not valid: network 'x' is not active"),
                LibvirtErrors.of(new VnetException(ErrorCode.NETWORK_INACTIVE, "Requested operation is not valid: network 'x' is not active")));
        // no libvirt prefix in the core's message: the code's own is added
        assertEquals(new RemoteError(LibvirtErrors.XML_ERROR, LibvirtErrors.FROM_NETWORK, "XML error: network name is empty"),
                LibvirtErrors.of(new VnetException(ErrorCode.XML_VALIDATION, "network name is empty")));
        assertEquals(new RemoteError(LibvirtErrors.OPERATION_FAILED, LibvirtErrors.FROM_NETWORK,
                "operation failed: network 'x' already exists with uuid u"),
                LibvirtErrors.of(new VnetException(ErrorCode.NETWORK_EXISTS, "network 'x' already exists with uuid u")));
        // a prefix the core wrote decides over the code (undefine of a transient network is INVALID_ARGUMENT in vnetd)
        assertEquals(LibvirtErrors.OPERATION_INVALID, LibvirtErrors.of(new VnetException(ErrorCode.INVALID_ARGUMENT,
                "Requested operation is not valid: can't undefine transient network 'x'")).code());
        assertEquals(LibvirtErrors.OPERATION_TIMEOUT, LibvirtErrors.of(new VnetException(ErrorCode.INTERNAL,
                "Timed out during operation: cannot acquire state change lock")).code());
        assertEquals(LibvirtErrors.FROM_RPC, LibvirtErrors.of(new VnetException(ErrorCode.RPC_PROTOCOL, "bad")).domain());
        // every vnetd code has a libvirt one
        for (ErrorCode c : ErrorCode.values()) {
            RemoteError r = LibvirtErrors.of(new VnetException(c, "x"));
            assertFalse(r.code() == 0, c + " has no libvirt code");
        }
    }
}
