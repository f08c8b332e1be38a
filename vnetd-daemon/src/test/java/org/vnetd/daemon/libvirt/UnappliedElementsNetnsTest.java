package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.error.ErrorCode;
import org.vnetd.daemon.libvirt.proc.ConnectProcedures;
import org.vnetd.daemon.libvirt.proc.NetworkProcedures;
import org.vnetd.daemon.libvirt.proc.RemoteNetwork;
import org.vnetd.daemon.libvirt.wire.LibvirtErrors;
import org.vnetd.daemon.libvirt.wire.RemoteError;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.daemon.rpc.RpcServer;
import org.vnetd.testing.Conformance;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

/**
 * libvirt's conformance networks that use what vnetd does not apply yet (802.1Qbg/Qbh port profiles, Open
 * vSwitch ports without a host bridge, dnsmasq options), through the real
 * daemon: libvirt defines each, vnetd refuses to define or create it, on the libvirt protocol with
 * libvirt's "unsupported configuration" code and on vnetd's JSON RPC with OPERATION_UNSUPPORTED, the
 * error naming the element, and none of them is left defined or active.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class UnappliedElementsNetnsTest {
    private static final int MAX = RemoteNetwork.STRING_MAX;

    /** Fixture (networkxmlconfdata, each with libvirt's .expect.xml) and the element its refusal names. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        // the macvtap pools themselves are applied: these two are refused for their port profiles
        REFUSED.put("vepa-net", "<virtualport type='802.1Qbg'>");
        REFUSED.put("8021Qbh-net", "<virtualport type='802.1Qbh'>");
        REFUSED.put("openvswitch-net", "<virtualport type='openvswitch'>");
        REFUSED.put("dnsmasq-options", "<dnsmasq:option value='cname=*.cloudapps.example.com,master.example.com'>");
    }

    @Test
    void refusedAtDefineAndCreateOnBothFrontEnds(@TempDir Path tmp) throws Exception {
        NetnsSupport.require("nft");
        Path dir = tmp.resolve("vnetd");
        try (TestNetns ns = TestNetns.create("unappl");
                VnetdProcess vnetd = new VnetdProcess(ns, dir, "INFO").start(() -> DaemonRpc.answers(dir.resolve("run"))
                        && Files.exists(dir.resolve("run/libvirt").resolve(LibvirtServer.SOCKET)));
                RawLibvirtClient libvirt = open(vnetd)) {
            Path json = vnetd.runDir().resolve(RpcServer.SOCKET);
            for (Map.Entry<String, String> f : REFUSED.entrySet()) {
                Path xml = Conformance.libvirtTests("networkxmlconfdata").resolve(f.getKey() + ".xml");
                assertTrue(Files.exists(xml.resolveSibling(f.getKey() + ".expect.xml")), "libvirt defines " + f.getKey());
                // renamed: some fixtures are called 'default', which the daemon defines itself
                String text = Files.readString(xml).replaceFirst("<name>[^<]*</name>", "<name>u-" + f.getKey() + "</name>");
                String name = "u-" + f.getKey();
                for (var proc : java.util.List.of(NetworkProcedures.NETWORK_DEFINE_XML, NetworkProcedures.NETWORK_CREATE_XML)) {
                    RemoteError e = libvirt.fail(proc, w -> w.writeString(text, MAX));
                    assertEquals(LibvirtErrors.CONFIG_UNSUPPORTED, e.code(), f.getKey() + ": " + e);
                    assertTrue(e.message().startsWith("unsupported configuration: network '" + name + "' ")
                            && e.message().contains(f.getValue()), f.getKey() + ": " + e.message());
                }
                for (String method : java.util.List.of("network.define", "network.create")) {
                    DaemonRpc.RpcFailure j = DaemonRpc.fail(json, method, Map.of("xml", text));
                    assertEquals(ErrorCode.OPERATION_UNSUPPORTED.number(), j.code, f.getKey() + ": " + j.getMessage());
                    assertTrue(j.getMessage().contains(f.getValue()), j.getMessage());
                }
                DaemonRpc.RpcFailure missing = DaemonRpc.fail(json, "network.lookup", Map.of("network", name));
                assertEquals(ErrorCode.NO_SUCH_NETWORK.number(), missing.code, f.getKey() + " is neither defined nor running");
            }
        }
    }

    private static RawLibvirtClient open(VnetdProcess vnetd) throws IOException {
        RawLibvirtClient c = new RawLibvirtClient(vnetd.runDir().resolve("libvirt").resolve(LibvirtServer.SOCKET));
        c.call(ConnectProcedures.AUTH_LIST, w -> {
        });
        c.call(ConnectProcedures.CONNECT_OPEN, w -> w.writeOptional(Optional.<String>empty(), (x, s) -> x.writeString(s, 1))
                .writeUnsignedInt(0));
        return c;
    }
}
