package org.vnetd.core.dhcp;

import java.net.Inet4Address;

import org.vnetd.core.net.IpAddresses;
import org.vnetd.core.net.MacAddress;

/** Builds client messages for tests: one field at a time. */
final class Msg {
    private int op = DhcpMessage.BOOTREQUEST;
    private int xid = 0x1234;
    private int flags;
    private MacAddress mac = MacAddress.parse("52:54:00:00:00:01");
    private Inet4Address ciaddr = DhcpMessage.ZERO;
    private Inet4Address giaddr = DhcpMessage.ZERO;
    private final DhcpOptions.Builder options = DhcpOptions.builder();

    static Msg of(DhcpMessageType type) {
        Msg m = new Msg();
        m.options.putByte(DhcpOptionCode.MESSAGE_TYPE, type.code());
        return m;
    }

    static Inet4Address ip(String s) {
        return (Inet4Address) IpAddresses.parse(s);
    }

    Msg mac(String m) {
        mac = MacAddress.parse(m);
        return this;
    }

    Msg op(int v) {
        op = v;
        return this;
    }

    Msg xid(int v) {
        xid = v;
        return this;
    }

    Msg broadcast() {
        flags = DhcpMessage.FLAG_BROADCAST;
        return this;
    }

    Msg ciaddr(String s) {
        ciaddr = ip(s);
        return this;
    }

    Msg giaddr(String s) {
        giaddr = ip(s);
        return this;
    }

    Msg requested(String s) {
        options.putAddress(DhcpOptionCode.REQUESTED_IP, ip(s));
        return this;
    }

    Msg serverId(String s) {
        options.putAddress(DhcpOptionCode.SERVER_ID, ip(s));
        return this;
    }

    Msg clientId(int... id) {
        byte[] b = new byte[id.length];
        for (int i = 0; i < id.length; i++) {
            b[i] = (byte) id[i];
        }
        options.put(DhcpOptionCode.CLIENT_ID, b);
        return this;
    }

    Msg hostname(String h) {
        options.putString(DhcpOptionCode.HOST_NAME, h);
        return this;
    }

    Msg prl(int... codes) {
        byte[] b = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            b[i] = (byte) codes[i];
        }
        options.put(DhcpOptionCode.PARAMETER_REQUEST_LIST, b);
        return this;
    }

    Msg option(int code, byte[] v) {
        options.put(code, v);
        return this;
    }

    DhcpMessage build() {
        return new DhcpMessage(op, 1, 6, 0, xid, 0, flags, ciaddr, DhcpMessage.ZERO, DhcpMessage.ZERO, giaddr,
                mac.octets(), null, null, options.build());
    }
}
