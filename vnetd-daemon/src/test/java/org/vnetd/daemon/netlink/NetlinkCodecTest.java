package org.vnetd.daemon.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The message builder and parser without a kernel: lengths, 4-byte padding, nests. */
class NetlinkCodecTest {
    @Test
    void attributesArePaddedToFourBytesAndLengthsExcludePadding() {
        ByteBuffer b = new NlMessageWriter(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(Nl.IFLA_IFNAME, "br0") // 4 + "br0\0" = 8
                .attr(Nl.IFLA_ADDRESS, new byte[] {1, 2, 3, 4, 5, 6}) // 10, padded to 12
                .attrU32(Nl.IFLA_MTU, 1500)
                .finish();
        assertEquals(16 + 16 + 8 + 12 + 8, b.remaining());
        assertEquals(b.remaining(), b.getInt(0));
        assertEquals(Nl.RTM_NEWLINK, b.getShort(4));
        assertEquals(10, b.getShort(16 + 16 + 8), "nla_len of the MAC excludes its padding");

        NlMessage m = NlMessage.parseAll(b).getFirst();
        NlAttrs a = m.attrs(Nl.IFINFOMSG_LEN);
        assertEquals("br0", a.string(Nl.IFLA_IFNAME).orElseThrow());
        assertEquals(6, a.bytes(Nl.IFLA_ADDRESS).orElseThrow().length);
        assertEquals(1500, a.u32(Nl.IFLA_MTU).orElseThrow());
    }

    @Test
    void nestsCarryTheirLengthAndNestedFlag() {
        ByteBuffer b = new NlMessageWriter(Nl.RTM_NEWLINK, 0)
                .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0)
                .beginNest(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "bridge") // 4 + 7 = 11 -> 12
                .beginNest(Nl.IFLA_INFO_DATA)
                .attrU32(Nl.IFLA_BR_STP_STATE, 1)
                .endNest()
                .endNest()
                .finish();
        int nest = 32;
        assertEquals(4 + 12 + 4 + 8, b.getShort(nest));
        assertEquals(Nl.IFLA_LINKINFO | Nl.NLA_F_NESTED, b.getShort(nest + 2) & 0xFFFF);
        NlAttrs li = NlMessage.parseAll(b).getFirst().attrs(Nl.IFINFOMSG_LEN).nested(Nl.IFLA_LINKINFO).orElseThrow();
        assertEquals("bridge", li.string(Nl.IFLA_INFO_KIND).orElseThrow());
        assertEquals(1, li.nested(Nl.IFLA_INFO_DATA).orElseThrow().u32(Nl.IFLA_BR_STP_STATE).orElseThrow());
    }

    @Test
    void bufferGrowsForLargeRequests() {
        NlMessageWriter w = new NlMessageWriter(Nl.RTM_NEWLINK, 0).u8(0).u8(0).u16(0).u32(0).u32(0).u32(0);
        for (int i = 0; i < 100; i++) {
            w.attrString(Nl.IFLA_IFNAME, "name-" + i);
        }
        w.attr(Nl.IFLA_ADDRESS, new byte[3000]);
        ByteBuffer b = w.finish();
        assertEquals(b.remaining(), b.getInt(0));
        assertEquals(0, b.remaining() % 4);
        assertEquals(3000, NlMessage.parseAll(b).getFirst().attrs(Nl.IFINFOMSG_LEN).bytes(Nl.IFLA_ADDRESS).orElseThrow().length);
        NlMessageWriter huge = new NlMessageWriter(Nl.RTM_NEWLINK, 0);
        assertThrows(IllegalArgumentException.class, () -> huge.attr(Nl.IFLA_ADDRESS, new byte[70_000]));
    }

    @Test
    void unclosedNestIsABug() {
        NlMessageWriter w = new NlMessageWriter(Nl.RTM_NEWLINK, 0).beginNest(Nl.IFLA_LINKINFO);
        assertThrows(IllegalStateException.class, w::finish);
    }

    @Test
    void parsesSeveralMessagesInOneDatagramAndRejectsBadLength() {
        ByteBuffer one = new NlMessageWriter(Nl.NLMSG_DONE, Nl.NLM_F_MULTI).u32(0).finish();
        ByteBuffer dg = ByteBuffer.allocate(2 * one.remaining()).order(ByteOrder.nativeOrder());
        dg.put(one.duplicate()).put(one.duplicate()).flip();
        List<NlMessage> msgs = NlMessage.parseAll(dg);
        assertEquals(2, msgs.size());
        assertEquals(Nl.NLMSG_DONE, msgs.get(1).type());

        ByteBuffer bad = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
        bad.putInt(0, 400);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NlMessage.parseAll(bad));
        assertTrue(e.getMessage().contains("length 400"), e.getMessage());
    }
}
