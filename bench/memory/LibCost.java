import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each library the daemon uses costs in RSS on its own (README.md, "The floor"): a JVM that does
 * nothing but what the arguments name, then prints its VmRSS after two collections and 5 s at rest.
 * bench/memory/floor compiles and runs it with the daemon's JVM options and class path.
 *   jaxb     parse and format a network definition (vnetd-core's NetworkXml: JAXB and the JDK's DOM parser)
 *   jackson  the RPC's ObjectMapper writes and reads a small tree (jackson-databind)
 *   logback  one log line through slf4j (logback's default configuration)
 *   netty    an epoll event-loop group of two threads runs one task
 */
public class LibCost {
    public static void main(String[] args) throws Exception {
        Set<String> what = Set.of(args);
        if (what.contains("jaxb")) {
            var def = org.vnetd.core.xml.NetworkXml.parse("<network><name>x</name><forward mode='nat'/><ip address='10.1.1.1' prefix='24'>"
                    + "<dhcp><range start='10.1.1.10' end='10.1.1.100'/></dhcp></ip></network>");
            org.vnetd.core.xml.NetworkXml.format(def, true);
        }
        if (what.contains("jackson")) {
            var mapper = org.vnetd.core.rpc.RpcCodec.MAPPER;
            mapper.readTree(mapper.writeValueAsString(Map.of("a", List.of(1, 2), "b", "c")));
        }
        if (what.contains("logback")) {
            org.slf4j.LoggerFactory.getLogger("cost").info("one line");
        }
        if (what.contains("netty")) {
            var group = new io.netty.channel.MultiThreadIoEventLoopGroup(2, io.netty.channel.epoll.EpollIoHandler.newFactory());
            group.next().submit(() -> { }).sync();
        }
        System.gc();
        Thread.sleep(3000);
        System.gc();
        Thread.sleep(2000);
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                System.out.println((args.length == 0 ? "nothing" : String.join("+", args)) + " " + line.substring(6).trim());
            }
        }
        System.exit(0); // netty's threads would keep the JVM alive
    }
}
