import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import org.vnetd.core.dns.DnsConfig;
import org.vnetd.core.net.IpAddresses;
import org.vnetd.daemon.dns.DnsService;

/**
 * vnetd's DNS service alone, for bench/dns/run.sh: listens on ADDRESS:53 (answering what arrives on BRIDGE) with DOMAIN (localOnly,
 * as libvirt's {@code <domain localOnly='yes'>}), HOSTS entries host0..hostN-1 at 10.99.x.y, and
 * forwards everything else to the servers in RESOLV_CONF. Runs until stdin closes.
 *
 * Usage: java -cp CLASSPATH BenchDnsServer.java ADDRESS DOMAIN HOSTS RESOLV_CONF BRIDGE
 */
public class BenchDnsServer {
    public static void main(String[] args) throws Exception {
        InetAddress listen = IpAddresses.parse(args[0]);
        String domain = args[1];
        int hosts = Integer.parseInt(args[2]);
        Path resolvConf = Path.of(args[3]);
        List<DnsConfig.Host> entries = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            entries.add(DnsConfig.Host.of("10.99." + (i / 250) + "." + (i % 250 + 1), "host" + i));
        }
        DnsConfig config = DnsConfig.defaults(args[4], List.of(listen)).withDomain(domain, true).withHosts(entries);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        DnsService dns = DnsService.create("bench", group, resolvConf, null);
        dns.start(config);
        System.out.println("READY " + dns.boundAddresses());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
        System.out.println(dns.stats());
        dns.stop();
        group.shutdownGracefully().syncUninterruptibly();
    }
}
