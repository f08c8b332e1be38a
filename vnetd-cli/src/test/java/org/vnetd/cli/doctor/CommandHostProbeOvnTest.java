package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetd.testing.NetnsSupport;
import org.vnetd.testing.ovn.PrivateOvsdbServer;

/** What doctor reads from a real northbound database (a private ovsdb-server), with the tools it runs. */
class CommandHostProbeOvnTest {
    private static final String UUID = "81ff0d90-c91e-6742-64da-4a736edb9a9b";

    @Test
    void theDefinitionTheSwitchWasMadeFromIsRead(@TempDir Path dir) {
        NetnsSupport.require("ovsdb-server", "ovsdb-tool", "ovn-nbctl");
        try (PrivateOvsdbServer nb = PrivateOvsdbServer.start(dir.resolve("nb"), PrivateOvsdbServer.OVN_NB_SCHEMA)) {
            HostProbe host = new CommandHostProbe(List.of());
            assertEquals(Optional.empty(), host.ovnDefinitionInOvn(nb.remote(), UUID), "no switch yet");
            nb.ctl("ovn-nbctl", "--db=" + nb.remote(), "ls-add", "ls-cluster", "--", "set", "Logical_Switch", "ls-cluster",
                    "external_ids:vnetd\\:network=" + UUID, "other_config:subnet=10.77.0.0/24",
                    "other_config:exclude_ips=\"10.77.0.1 10.77.0.200..10.77.0.254\"",
                    "other_config:vnetd\\:definition=c7cc2f7a34d5c4c6a5fa0b2eb052e52e").orThrow();
            assertEquals(Optional.of("c7cc2f7a34d5c4c6a5fa0b2eb052e52e"), host.ovnDefinitionInOvn(nb.remote(), UUID));
            assertEquals(Optional.empty(), host.ovnDefinitionInOvn(nb.remote(), "00000000-0000-0000-0000-000000000000"));
            assertEquals(Optional.empty(), host.ovnDefinitionInOvn("unix:" + dir.resolve("none.sock"), UUID), "unreachable");
        }
    }
}
