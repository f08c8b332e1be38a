package org.vnetd.cli.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import org.vnetd.cli.Vnetctl;
import org.vnetd.cli.edit.Terminal;
import org.vnetd.client.Json;

/**
 * The build's AOT training run ({@code java -XX:AOTCacheOutput=vnetctl.aot ... TrainingRun}): runs the common
 * commands through the real code paths (argument parsing, the Unix-socket RPC client, jackson, the table
 * and XPath code) against a throwaway in-process responder with fixed sample answers, so the classes
 * those paths load end up in the cache. It is training input only; vnetctl never talks to it.
 */
public final class TrainingRun {
    private static final String XML = "<network>\n  <name>default</name>\n  <forward mode='nat'/>\n"
            + "  <bridge name='virbr0' stp='on' delay='0'/>\n  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
            + "    <dhcp>\n      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n"
            + "</network>\n";
    private static final Map<String, Object> NET = Map.of("name", "default", "uuid",
            "dd8fe884-6c02-601e-7551-cca97df1c5df", "active", true, "persistent", true, "autostart", true,
            "bridge", "virbr0");

    private TrainingRun() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("vnetctl-aot");
        Path socket = dir.resolve("train.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread responder = Thread.ofPlatform().daemon().start(() -> serve(server));
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            String s = socket.toString();
            // only the everyday paths: every class the training loads is loaded by every later start-up,
            // so the rarer ones (XPath, doctor, net-edit) are left to load on demand
            String[][] runs = {{"help"}, {"help", "net-list"}, {"-c", s, "net-list", "--all"},
                {"-c", s, "net-list", "--name"}, {"-c", s, "net-info", "default"},
                {"-c", s, "net-dumpxml", "default"}, {"-c", s, "net-dhcp-leases", "default"},
                {"-c", s, "net-uuid", "default"}, {"-c", s, "-q", "net-list"},
                {"-c", dir.resolve("absent").toString(), "net-list"}, {"net-list", "--bogus"}};
            for (String[] run : runs) {
                Vnetctl.run(InputStream.nullInputStream(), sink, sink, name -> null, Terminal.NONE, () -> ZoneId.of("UTC"),
                        run);
            }
            responder.interrupt();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                while (true) {
                    ByteBuffer head = ByteBuffer.allocate(4);
                    if (!fill(c, head)) {
                        break;
                    }
                    ByteBuffer body = ByteBuffer.allocate(head.flip().getInt());
                    if (!fill(c, body)) {
                        break;
                    }
                    Map<String, Object> req = Json.object(Json.parse(body.array()), "request");
                    Map<String, Object> reply = new java.util.LinkedHashMap<>();
                    reply.put("jsonrpc", "2.0");
                    reply.put("id", req.get("id"));
                    reply.put("result", switch (String.valueOf(req.get("method"))) {
                        case "network.list" -> java.util.List.of(NET);
                        case "network.getXml" -> Map.of("xml", XML);
                        case "network.dhcpLeases" -> java.util.List.of(Map.of("expiryTime", 1764000000L, "mac",
                                "52:54:00:00:00:01", "protocol", "ipv4", "ipAddress", "192.168.122.10", "prefix", 24));
                        default -> NET;
                    });
                    byte[] out = Json.write(reply);
                    c.write(ByteBuffer.allocate(4 + out.length).putInt(out.length).put(out).flip());
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static boolean fill(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }
}
