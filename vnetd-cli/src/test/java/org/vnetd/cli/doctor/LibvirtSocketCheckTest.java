package org.vnetd.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LibvirtSocketCheckTest {
    private static List<Finding> run(FakeHost host) {
        return new LibvirtSocketCheck().run(host, List.of());
    }

    @Test
    void libvirtsNetworkDaemonHoldingTheSocketIsAWarning() {
        List<Finding> f = run(new FakeHost().listening(LibvirtSocketCheck.SOCKET, new HostProbe.Listener("virtnetworkd", 812)));
        assertEquals(1, f.size());
        assertEquals(Severity.WARN, f.get(0).severity());
        assertEquals("/run/libvirt/virtnetworkd-sock is served by virtnetworkd (pid 812), not by vnetd", f.get(0).summary());
    }

    @Test
    void aMonolithicLibvirtdNextToVnetdIsAWarning() {
        List<Finding> f = run(new FakeHost().listening(LibvirtSocketCheck.SOCKET, new HostProbe.Listener("java", 40))
                .listening(LibvirtSocketCheck.LEGACY_SOCKET, new HostProbe.Listener("libvirtd", 7)));
        assertEquals("libvirtd (pid 7) runs next to vnetd (/run/libvirt/libvirt-sock)", f.get(0).summary());
    }

    @Test
    void vnetdAndLibvirtsNetworkDaemonBothListeningFails() {
        List<Finding> f = run(new FakeHost().listening(LibvirtSocketCheck.SOCKET, new HostProbe.Listener("java", 40),
                new HostProbe.Listener("virtnetworkd", 812)));
        assertEquals(1, f.size());
        assertEquals(Severity.FAIL, f.get(0).severity());
        assertEquals("vnetd and virtnetworkd (pid 812) both listen on /run/libvirt/virtnetworkd-sock", f.get(0).summary());
        assertEquals("systemctl disable --now virtnetworkd.socket virtnetworkd-ro.socket virtnetworkd-admin.socket virtnetworkd;"
                + " systemctl restart vnetd", f.get(0).fix());
    }

    @Test
    void vnetdAloneOrNothingListeningSaysNothing() {
        assertEquals(List.of(), run(new FakeHost().listening(LibvirtSocketCheck.SOCKET, new HostProbe.Listener("java", 40))));
        assertEquals(List.of(), run(new FakeHost()));
    }

    @Test
    void ssOutputIsRead() {
        assertEquals(Optional.of(new HostProbe.Listener("virtnetworkd", 812)), CommandHostProbe.parseListener(
                "u_str LISTEN 0      128    /run/libvirt/virtnetworkd-sock 5913662 * 0 users:((\"virtnetworkd\",pid=812,fd=3))\n"));
        assertEquals(Optional.empty(), CommandHostProbe.parseListener(""));
        assertEquals(List.of(new HostProbe.Listener("java", 40), new HostProbe.Listener("virtnetworkd", 812)), CommandHostProbe.parseListeners(
                "u_str LISTEN 0 128 /run/libvirt/virtnetworkd-sock 5913660 * 0 users:((\"java\",pid=40,fd=9))\n"
                        + "u_str LISTEN 0 128 /run/libvirt/virtnetworkd-sock 5913662 * 0 users:((\"virtnetworkd\",pid=812,fd=3),(\"systemd\",pid=1,fd=40))\n")
                .subList(0, 2));
    }
}
