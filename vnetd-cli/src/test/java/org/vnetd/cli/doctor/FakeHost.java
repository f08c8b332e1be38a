package org.vnetd.cli.doctor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A host for the doctor's checks made of canned answers: no sysctls, no links, nothing listening or running,
 * no libvirt, OVS, OVN or firewalld until a test says otherwise with the setters.
 */
final class FakeHost implements HostProbe {
    private final Map<String, List<Listener>> listeners = new HashMap<>();
    private List<LibvirtBridge> libvirtBridges = List.of();
    private Set<String> processes = Set.of();
    private Optional<Map<String, String>> openVswitchExternalIds = Optional.empty();
    private Optional<String> ovsdbUnreachable = Optional.empty();
    private Optional<String> ovnDefinition = Optional.empty();
    private Map<String, String> firewalldZones = Map.of();

    /** {@code programs} listen on the Unix socket {@code path}, in this order. */
    FakeHost listening(String path, Listener... programs) {
        listeners.put(path, List.of(programs));
        return this;
    }

    FakeHost libvirtBridges(LibvirtBridge... bridges) {
        libvirtBridges = List.of(bridges);
        return this;
    }

    FakeHost running(String... programs) {
        processes = Set.of(programs);
        return this;
    }

    FakeHost openVswitchExternalIds(Map<String, String> ids) {
        openVswitchExternalIds = Optional.of(ids);
        return this;
    }

    /** No OVSDB remote answers, for this reason. */
    FakeHost noOvsdbAnswers(String why) {
        ovsdbUnreachable = Optional.of(why);
        return this;
    }

    /** Every OVN network's switch was made from a definition of this digest. */
    FakeHost ovnDefinitionInOvn(String digest) {
        ovnDefinition = Optional.of(digest);
        return this;
    }

    @Override
    public Optional<String> ovnDefinitionInOvn(String remotes, String networkUuid) {
        return ovnDefinition;
    }

    FakeHost firewalldZones(Map<String, String> zones) {
        firewalldZones = zones;
        return this;
    }

    @Override
    public Optional<String> sysctl(String path) {
        return Optional.empty();
    }

    @Override
    public String ipJson(String... args) {
        return "[]";
    }

    @Override
    public List<Listener> unixListeners(String path) {
        return listeners.getOrDefault(path, List.of());
    }

    @Override
    public Optional<Listener> unixListener(String path) {
        return unixListeners(path).stream().findFirst();
    }

    @Override
    public List<LibvirtBridge> libvirtBridges() {
        return libvirtBridges;
    }

    @Override
    public boolean processRunning(String name) {
        return processes.contains(name);
    }

    @Override
    public Optional<Map<String, String>> openVswitchExternalIds() {
        return openVswitchExternalIds;
    }

    @Override
    public Optional<String> ovsdbUnreachable(String remotes) {
        return ovsdbUnreachable;
    }

    @Override
    public Map<String, String> firewalldZones() {
        return firewalldZones;
    }
}
