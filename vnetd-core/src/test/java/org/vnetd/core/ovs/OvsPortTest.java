package org.vnetd.core.ovs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.vnetd.core.net.MacAddress;
import org.vnetd.core.port.Vlan;

/** The commands are libvirt's virNetDevOpenvswitchAddPort/RemovePort word for word (libvirt 9.0). */
class OvsPortTest {
    private static final UUID IFACE = UUID.fromString("09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f");
    private static final UUID VM = UUID.fromString("c7a5fdbd-edaf-9455-926a-d65c16db1809");
    private static final MacAddress MAC = MacAddress.parse("52:54:00:ab:cd:01");

    private static OvsPort port(Optional<String> profile, Optional<Vlan> vlan) {
        return new OvsPort("ovsbr0", "vnet3", MAC, IFACE, VM, profile, vlan);
    }

    @Test
    void withoutProfileTheFourExternalIdsOfLibvirt() {
        assertEquals(List.of("ovs-vsctl", "--timeout=5", "--", "--may-exist", "add-port", "ovsbr0", "vnet3",
                "--", "set", "Interface", "vnet3", "external-ids:attached-mac=\"52:54:00:ab:cd:01\"",
                "--", "set", "Interface", "vnet3", "external-ids:iface-id=\"" + IFACE + "\"",
                "--", "set", "Interface", "vnet3", "external-ids:vm-id=\"" + VM + "\"",
                "--", "set", "Interface", "vnet3", "external-ids:iface-status=active"),
                port(Optional.empty(), Optional.empty()).addCommand());
    }

    @Test
    void aProfileAddsPortProfileAndIfname() {
        List<String> argv = port(Optional.of("web"), Optional.empty()).addCommand();
        assertEquals(List.of("--", "set", "Interface", "vnet3", "external-ids:port-profile=\"web\"",
                "--", "set", "Interface", "vnet3", "external-ids:ifname=\"vnet3\"",
                "--", "set", "Interface", "vnet3", "external-ids:iface-status=active"), argv.subList(22, argv.size()));
    }

    @Test
    void vlansAsLibvirtWordsThem() {
        assertEquals(List.of("tag=42"), OvsPort.vlanColumns(vlan(false, tag(42, null))));
        assertEquals(List.of("trunk=42"), OvsPort.vlanColumns(vlan(true, tag(42, null))));
        assertEquals(List.of("trunk=42,47"), OvsPort.vlanColumns(vlan(false, tag(42, null), tag(47, null))));
        assertEquals(List.of("vlan_mode=native-untagged", "tag=47", "trunk=42,47"),
                OvsPort.vlanColumns(vlan(true, tag(42, null), tag(47, "untagged"))));
        assertEquals(List.of("vlan_mode=native-tagged", "tag=42", "trunk=42"), OvsPort.vlanColumns(vlan(true, tag(42, "tagged"))));
        List<String> argv = port(Optional.empty(), Optional.of(vlan(false, tag(42, null)))).addCommand();
        assertEquals(List.of("add-port", "ovsbr0", "vnet3", "tag=42", "--"), argv.subList(4, 9));
    }

    @Test
    void removeIsIfExists() {
        assertEquals(List.of("ovs-vsctl", "--timeout=5", "--", "--if-exists", "del-port", "vnet3"), OvsPort.removeCommand("vnet3"));
    }

    private static Vlan vlan(boolean trunk, Vlan.Tag... tags) {
        return new Vlan(trunk ? Optional.of(true) : Optional.empty(), List.of(tags));
    }

    private static Vlan.Tag tag(int id, String nativeMode) {
        return new Vlan.Tag(id, Optional.ofNullable(nativeMode));
    }
}
