package org.vnetd.daemon.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vnetd.testing.Exec;
import org.vnetd.testing.Pinger;
import org.vnetd.testing.TestNetns;
import org.vnetd.testing.dhcp.DhcpClientNs;
import org.vnetd.testing.dhcp.DhcpLeaseInfo;
import org.vnetd.testing.dhcp.Dhclient;

/**
 * A libvirt host in a network namespace, shared by the tests that compare vnetd with libvirt or move
 * libvirt's networks to vnetd: Debian's real libvirtd ({@link PrivateLibvirtd}, its files under
 * {@code dir} where a test reads them as an administrator reads /etc/libvirt, /run/libvirt and
 * /var/lib/libvirt), virsh against it, and optionally an upstream namespace ({@link #UPSTREAM}, through
 * {@code up0}) and guests on a bridge holding leases from libvirt's dnsmasq and pinging upstream.
 * Closing it closes everything it made, in reverse order.
 */
public final class LibvirtHostNetns implements AutoCloseable {
    /** The upstream namespace's address, reached from the host through {@code up0} (203.0.113.1). */
    static final String UPSTREAM = "203.0.113.2";
    /** A NAT network as {@code virsh net-dumpxml} prints libvirt's {@code default}: the tests' common one. */
    public static final String DEFAULT = """
            <network>
              <name>default</name>
              <uuid>0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01</uuid>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:0a:0b:0c'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;
    /** What libvirt writes before a network's XML in {@code /etc/libvirt/qemu/networks/NAME.xml}. */
    public static final String CONFIG_HEADER = """
            <!--
            WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
            OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
              virsh net-edit default
            or other application using the libvirt API.
            -->

            """;

    private final TestNetns host;
    private final Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private PrivateLibvirtd libvirtd;

    private LibvirtHostNetns(TestNetns host, Path dir) {
        this.host = host;
        this.dir = dir;
        toClose.add(host);
    }

    /** A namespace {@code vnt-PURPOSE-*} running libvirtd with its files in {@code dir/libvirtd}. */
    static LibvirtHostNetns start(String purpose, Path dir) throws IOException {
        LibvirtHostNetns h = new LibvirtHostNetns(TestNetns.create(purpose), dir);
        try {
            h.libvirtd = h.closeLater(PrivateLibvirtd.start(h.host, h.libvirtDir()));
            return h;
        } catch (IOException | RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Adds the upstream namespace ({@link #UPSTREAM}); returns this. */
    LibvirtHostNetns withUpstream(String purpose) {
        TestNetns up = closeLater(TestNetns.create(purpose));
        host.veth("up0", up, "up1");
        host.execOk("ip", "addr", "add", "203.0.113.1/24", "dev", "up0");
        up.execOk("ip", "addr", "add", UPSTREAM + "/24", "dev", "up1");
        return this;
    }

    TestNetns ns() {
        return host;
    }

    String uri() {
        return "network:///system?socket=" + libvirtd.socket();
    }

    PrivateLibvirtd libvirtd() {
        return libvirtd;
    }

    /** Runs virsh against libvirtd; its output, or an exception naming what failed. */
    String virsh(String... command) {
        return virsh(uri(), List.of(command));
    }

    static String virsh(String uri, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-c", uri));
        argv.addAll(command);
        return Exec.run(argv.toArray(String[]::new)).orThrow().stdout();
    }

    /** Defines {@code xml} (written to {@code dir/NAME.xml}), optionally marks it autostart, and starts it. */
    void defineAndStart(String name, String xml, boolean autostart) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".xml"), xml);
        virsh("net-define", file.toString());
        if (autostart) {
            virsh("net-autostart", name);
        }
        virsh("net-start", name);
    }

    /** Starts a transient network ({@code net-create}). */
    void create(String name, String xml) throws IOException {
        virsh("net-create", Files.writeString(dir.resolve(name + ".xml"), xml).toString());
    }

    /** Stops libvirtd as an administrator does: its dnsmasq, bridges and rules stay. */
    void stopLibvirtd() {
        libvirtd.close();
    }

    Path libvirtDir() {
        return dir.resolve("libvirtd");
    }

    Path configDir() {
        return libvirtDir().resolve("etc/qemu/networks");
    }

    Path statusDir() {
        return libvirtDir().resolve("run/network");
    }

    Path leaseDir() {
        return libvirtDir().resolve("lib/dnsmasq");
    }

    /** The pid in libvirt's pid file of the network's dnsmasq. */
    long dnsmasqPid(String network) throws IOException {
        return Long.parseLong(Files.readString(statusDir().resolve(network + ".pid")).trim());
    }

    /** {@code network.importLibvirt}'s parameters reading this host's files. */
    Map<String, Object> importParams(boolean takeover, boolean dryRun) {
        return new HashMap<>(Map.of("configDir", configDir().toString(), "statusDir", statusDir().toString(), "leaseDir",
                leaseDir().toString(), "takeover", takeover, "dryRun", dryRun));
    }

    /** A guest: a namespace on a bridge with a dhclient holding a lease and a ping to {@link #UPSTREAM} through its gateway. */
    record Guest(int n, String mac, String address, Dhclient client, Pinger pinger) {
    }

    /** Guest {@code n} on {@code bridge} (its host side {@code PREFIXvN}), bound and pinging upstream via {@code gateway}. */
    Guest guest(String prefix, int n, String bridge, String gateway) {
        TestNetns g = closeLater(TestNetns.create(prefix + "g" + n));
        String mac = "52:54:00:00:01:0" + n;
        host.veth(prefix + "v" + n, g, "eth0");
        host.execOk("ip", "link", "set", prefix + "v" + n, "master", bridge);
        g.execOk("ip", "link", "set", "eth0", "down");
        g.execOk("ip", "link", "set", "eth0", "address", mac);
        g.execOk("ip", "link", "set", "eth0", "up");
        Dhclient client = closeLater(new Dhclient(new DhcpClientNs(g, "eth0", mac), "guest" + n));
        client.start();
        DhcpLeaseInfo bound = client.awaitBound(Duration.ofSeconds(60));
        g.execOk("ip", "route", "add", "default", "via", gateway);
        Pinger p = closeLater(new Pinger(g, UPSTREAM));
        p.awaitReplies(3);
        return new Guest(n, mac, bound.address(), client, p);
    }

    /** Closed with this fixture, before what was made earlier. */
    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        toClose.clear();
    }
}
