import java.util.Arrays;
import java.util.function.Supplier;

import org.vnetd.core.xml.NetworkXml;
import org.vnetd.core.xml.SafeXml;

/**
 * What a parse of a small network definition costs in one warm JVM, with the parser an owner keeps
 * (one {@link SafeXml} for every parse, as the driver's) and with a new one per parse (one-off reads):
 * the DOM step alone and the whole {@link NetworkXml#parse}. Each case runs ROUNDS parses and reports the
 * median and p90 of the last half, in microseconds. Run: see README.md ("The parse's parsers").
 */
public final class ParseCost {
    private static final int ROUNDS = 6000;
    private static final String XML = """
            <network>
              <name>bench</name>
              <forward mode='nat'/>
              <bridge name='vbench0' stp='on' delay='0'/>
              <ip address='192.168.150.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.150.2' end='192.168.150.254'/>
                  <host mac='52:54:00:00:00:01' name='a' ip='192.168.150.10'/>
                </dhcp>
              </ip>
            </network>
            """;

    public static void main(String[] args) {
        SafeXml owned = new SafeXml();
        for (int pass = 0; pass < 2; pass++) {
            System.out.println("pass " + (pass + 1));
            run("DOM, owned parser", () -> owned.parse(XML, "bench"));
            run("DOM, new parser per parse", () -> new SafeXml().parse(XML, "bench"));
            run("NetworkXml.parse, owned parser", () -> NetworkXml.parse(XML, owned));
            run("NetworkXml.parse, new parser per parse", () -> NetworkXml.parse(XML));
        }
    }

    private static void run(String what, Supplier<Object> parse) {
        long[] took = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            if (parse.get() == null) {
                throw new AssertionError(what);
            }
            took[i] = System.nanoTime() - t0;
        }
        long[] last = Arrays.copyOfRange(took, ROUNDS / 2, ROUNDS);
        Arrays.sort(last);
        System.out.printf("  %-42s median %6.1f us  p90 %6.1f us%n", what, last[last.length / 2] / 1000.0,
                last[last.length * 9 / 10] / 1000.0);
    }
}
