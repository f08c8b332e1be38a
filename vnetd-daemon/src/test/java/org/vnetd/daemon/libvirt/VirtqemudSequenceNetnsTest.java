package org.vnetd.daemon.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.core.rpc.RpcCodec;
import org.vnetd.daemon.rpc.DaemonRpc;
import org.vnetd.testing.Exec;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.daemon.VnetdProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * virtqemud's calls to the network daemon (virtqemud-sequence.py, through Debian's python3-libvirt) against
 * the real daemon: SET_IDENTITY, lookup, a port created without a plug gets one, lookup by UUID, bandwidth
 * parameters (get, set, get), delete, RECLAIM with the plug (twice, as after two virtqemud restarts), the lease call of
 * {@code domifaddr --source lease}; the reclaimed port survives a vnetd restart.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VirtqemudSequenceNetnsTest {
    static final String PORT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    @Test
    void virtqemudsPortCallsWorkAndTheReclaimedPortSurvivesARestart(@TempDir Path dir) throws Exception {
        NetnsSupport.require("nft", "/usr/bin/python3");
        if (!Exec.run("/usr/bin/python3", "-c", "import libvirt").ok()) {
            NetnsSupport.require("python3-libvirt-is-missing");
        }
        Path script = dir.resolve("virtqemud-sequence.py");
        try (InputStream in = getClass().getResourceAsStream("virtqemud-sequence.py")) {
            Files.copy(in, script);
        }
        try (TestNetns ns = TestNetns.create("qemud");
                VnetdProcess vnetd = new VnetdProcess(ns, dir.resolve("d"), "INFO")) {
            Path run = vnetd.runDir();
            VnetdProcess.ReadyProbe ready = () -> DaemonRpc.answers(run)
                    && Files.exists(run.resolve("libvirt").resolve(LibvirtServer.SOCKET));
            vnetd.start(ready);
            String uri = "network:///system?socket=" + run.resolve("libvirt").resolve(LibvirtServer.SOCKET);

            JsonNode start = sequence(script, uri, "start", vnetd);
            assertEquals(PORT, start.get("uuid").asText(), "the uuid the client sent is kept");
            assertEquals("""
                    <networkport>
                      <uuid>0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0</uuid>
                      <owner>
                        <name>guest1</name>
                        <uuid>c0ffee00-0000-4000-8000-000000000001</uuid>
                      </owner>
                      <mac address='52:54:00:6b:00:01'/>
                      <bandwidth>
                        <inbound average='1000' peak='2000' burst='1024'/>
                        <outbound average='500'/>
                      </bandwidth>
                      <plug type='network' bridge='virbr0'/>
                    </networkport>
                    """, start.get("xml").asText().strip() + "\n");
            assertEquals(PORT, start.get("lookup").asText());
            assertEquals("{\"inbound.average\":1000,\"inbound.burst\":1024,\"inbound.floor\":0,\"inbound.peak\":2000,"
                    + "\"outbound.average\":500,\"outbound.burst\":0,\"outbound.peak\":0}",
                    RpcCodec.MAPPER.writeValueAsString(RpcCodec.MAPPER.readTree(start.get("params").toString())));
            assertEquals("{\"inbound.average\":4000,\"inbound.burst\":0,\"inbound.floor\":0,\"inbound.peak\":8000}",
                    RpcCodec.MAPPER.writeValueAsString(RpcCodec.MAPPER.readTree(start.get("params_after_set").toString())),
                    "the new values replace the old ones as a whole, as libvirt's networkPortSetParameters does");
            assertTrue(start.get("xml_after_set").asText().contains("<bandwidth>\n    <inbound average='4000' peak='8000'/>\n"
                    + "  </bandwidth>"), start.get("xml_after_set").asText());
            assertEquals(List.of(PORT), strings(start.get("list")));
            assertEquals(List.of(), strings(start.get("after_delete")));
            assertEquals(List.of(PORT), strings(start.get("reclaimed")), "RECLAIM twice leaves one port");
            assertEquals("[8,19,\"invalid argument: Port reclaim requested but plug type is none\"]",
                    start.get("reclaim_without_plug").toString());
            assertEquals("[]", start.get("leases").toString());
            assertEquals("virbr0", start.get("bridge").asText());
            assertTrue(DaemonRpc.call(run.resolve("vnetd.sock"), "port.list", java.util.Map.of()).toString().contains(PORT),
                    "the JSON RPC sees the same port");

            assertEquals(143, vnetd.stop(), "a clean SIGTERM exit (128+15)");
            vnetd.start(ready);
            JsonNode restarted = sequence(script, uri, "restart", vnetd);
            assertTrue(restarted.get("xml").asText().contains("<plug type='network' bridge='virbr0'/>"),
                    "the port survived the restart: " + restarted);
            assertFalse(DaemonRpc.call(run.resolve("vnetd.sock"), "port.list", java.util.Map.of()).toString().contains(PORT),
                    "and its delete was the last word");
        }
    }

    private static JsonNode sequence(Path script, String uri, String phase, VnetdProcess vnetd) throws Exception {
        Exec.Result r = Exec.run("/usr/bin/python3", script.toString(), uri, "default", phase);
        assertEquals(0, r.exitCode(), () -> r.stdout() + r.stderr() + "\n" + vnetd.log());
        return RpcCodec.MAPPER.readTree(r.stdout());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
