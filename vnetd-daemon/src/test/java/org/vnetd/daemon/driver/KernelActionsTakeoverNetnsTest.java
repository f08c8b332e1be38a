package org.vnetd.daemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;
import org.vnetd.core.net.IpPrefix;
import org.vnetd.core.plan.Action;
import org.vnetd.core.plan.Effects;
import org.vnetd.core.xml.NetworkXml;
import org.vnetd.daemon.netlink.NetlinkLinkBackend;
import org.vnetd.daemon.netlink.ProcSysctl;
import org.vnetd.testing.NetnsExecutor;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;

/**
 * What a takeover's {@link Action.Adopted} does to a bridge someone else made: applying it checks (and
 * repairs) without re-creating, so the bridge keeps its ifindex and its ports; a failed takeover leaves it as
 * found; once vnetd's, a destroy deletes it.
 */
class KernelActionsTakeoverNetnsTest {
    static final Action.CreateBridge BRIDGE = new Action.CreateBridge("virbr0", true, 0, Optional.empty(), OptionalInt.empty());
    static final Action.AddAddress ADDRESS = new Action.AddAddress("virbr0", IpPrefix.parse("192.168.122.1/24"));

    @Test
    void adoptsABridgeAsItIsLeavesItOnRollbackAndDeletesItOnUndo() throws Exception {
        NetnsSupport.require("ip");
        try (TestNetns ns = TestNetns.create("adopt"); NetnsExecutor in = NetnsExecutor.enter(ns)) {
            ns.execOk("ip", "link", "add", "virbr0", "type", "bridge");
            ns.execOk("ip", "link", "add", "tap1", "type", "veth", "peer", "name", "tap1p");
            ns.execOk("ip", "link", "set", "tap1", "master", "virbr0");
            ns.execOk("ip", "link", "add", "notbr", "type", "veth", "peer", "name", "notbrp");
            String index = ns.execOk("cat", "/sys/class/net/virbr0/ifindex").trim();
            try (NetlinkLinkBackend netlink = in.call(NetlinkLinkBackend::open)) {
                Effects<Action> effects = new KernelActions(netlink, new ProcSysctl(), null, null, netlink.tc()).forNetwork(NetworkXml.parse(
                        "<network><name>default</name><bridge name='virbr0'/></network>"));
                in.call(() -> effects.apply(new Action.Adopted(BRIDGE)));
                in.call(() -> effects.apply(new Action.Adopted(ADDRESS))); // libvirt's address was removed: put back
                assertEquals(index, ns.execOk("cat", "/sys/class/net/virbr0/ifindex").trim(), "the same bridge");
                assertTrue(ns.execOk("ip", "-o", "link", "show", "tap1").contains("master virbr0"));
                assertTrue(ns.execOk("ip", "-o", "addr", "show", "dev", "virbr0").contains("192.168.122.1/24"));

                in.call(() -> {
                    effects.rollback(new Action.Adopted(ADDRESS), Map.of());
                    effects.rollback(new Action.Adopted(BRIDGE), Map.of());
                    return null;
                });
                assertEquals(index, ns.execOk("cat", "/sys/class/net/virbr0/ifindex").trim(), "a failed takeover leaves it");
                assertTrue(ns.execOk("ip", "-o", "addr", "show", "dev", "virbr0").contains("192.168.122.1/24"));

                VnetException e = assertThrows(VnetException.class, () -> in.call(() -> effects.apply(new Action.Adopted(
                        new Action.CreateBridge("notbr", true, 0, Optional.empty(), OptionalInt.empty())))));
                assertEquals(ErrorCode.CONFLICT, e.code());
                assertTrue(e.getMessage().contains("'notbr'") && e.getMessage().contains("not a bridge"), e.getMessage());

                in.call(() -> {
                    effects.undo(new Action.Adopted(BRIDGE), Map.of());
                    return null;
                });
                assertTrue(ns.exec("ip", "link", "show", "virbr0").exitCode() != 0, "destroyed with the network");
            }
        }
    }
}
