package org.vnetd.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A test daemon: a JDK Unix-socket server speaking docs/rpc.md (length-prefixed JSON-RPC 2.0) with an
 * in-memory set of networks, leases and ports, so every vnetctl command runs over the real wire protocol.
 * Handlers may be replaced per test; every request is recorded for assertions.
 */
final class FakeVnetd implements AutoCloseable {
    /** A daemon error: JSON-RPC code, vnetd ErrorCode name, message. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;
        final String name;

        Fault(int code, String name, String message) {
            super(message);
            this.code = code;
            this.name = name;
        }
    }

    static final String DEFAULT_UUID = "dd8fe884-6c02-601e-7551-cca97df1c5df";
    static final String ISOLATED_UUID = "4f2c3a1e-0b6d-4e35-9a0c-2d1e5f6a7b8c";
    static final String DEFAULT_XML = """
            <network>
              <name>default</name>
              <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    final ObjectMapper json = new ObjectMapper();
    final Map<String, Function<JsonNode, Object>> handlers = new ConcurrentHashMap<>();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final Map<String, Map<String, Object>> networks = new LinkedHashMap<>();
    final Map<String, String> xml = new ConcurrentHashMap<>();
    final List<Map<String, Object>> leases = new ArrayList<>();
    final List<Map<String, Object>> ports = new ArrayList<>();
    /** Notifications pushed to a connection right after it subscribes. */
    final List<Map<String, Object>> eventsOnSubscribe = new ArrayList<>();

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();

    FakeVnetd(Path socket) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        addNetwork("default", DEFAULT_UUID, true, true, true, "virbr0", null, DEFAULT_XML);
        addNetwork("isolated", ISOLATED_UUID, false, true, false, "virbr1", "Lab net", DEFAULT_XML
                .replace("default", "isolated").replace(DEFAULT_UUID, ISOLATED_UUID).replace("virbr0", "virbr1")
                .replace("<forward mode='nat'/>\n", "").replace("122", "100"));
        addNetwork("Beta", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", true, false, false, "virbr2", null,
                DEFAULT_XML.replace("default", "Beta").replace("virbr0", "virbr2").replace("122", "50"));
        leases.add(lease(1764000000L, "52:54:00:aa:00:02", "192.168.122.20", "guest2", "01:52:54:00:aa:00:02"));
        leases.add(lease(1764003600L, "52:54:00:AA:00:01", "192.168.122.10", null, null));
        ports.add(port("b2c4e6f8-0000-4000-8000-000000000002", "vnet1"));
        ports.add(port("a1b3c5d7-0000-4000-8000-000000000001", "vnet0"));
        installDefaultHandlers();
        acceptor = Thread.ofPlatform().daemon().name("fake-vnetd").start(this::acceptLoop);
    }

    Path socket() {
        return socket;
    }

    void addNetwork(String name, String uuid, boolean active, boolean persistent, boolean autostart, String bridge,
                    String title, String definition) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("uuid", uuid);
        n.put("active", active);
        n.put("persistent", persistent);
        n.put("autostart", autostart);
        n.put("bridge", bridge);
        n.put("title", title);
        networks.put(name, n);
        xml.put(name, definition);
    }

    static Map<String, Object> lease(long expiry, String mac, String ip, String host, String clientId) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("expiryTime", expiry);
        l.put("mac", mac);
        l.put("protocol", "ipv4");
        l.put("ipAddress", ip);
        l.put("prefix", 24);
        l.put("hostname", host);
        l.put("clientId", clientId);
        return l;
    }

    static Map<String, Object> port(String uuid, String tap) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("uuid", uuid);
        p.put("network", "default");
        p.put("tap", tap);
        p.put("tapMac", "fe:54:00:00:00:01");
        p.put("mac", "52:54:00:00:00:01");
        p.put("bridge", "virbr0");
        p.put("notes", List.of());
        return p;
    }

    synchronized Map<String, Object> find(String nameOrUuid) {
        for (Map<String, Object> n : networks.values()) {
            if (n.get("name").equals(nameOrUuid) || n.get("uuid").equals(nameOrUuid)) {
                return n;
            }
        }
        throw new Fault(10, "NO_SUCH_NETWORK", "Network not found: no network with matching name '" + nameOrUuid + "'");
    }

    private void installDefaultHandlers() {
        handlers.put("daemon.version", p -> Map.of("version", "0.1.0"));
        handlers.put("network.list", p -> new ArrayList<>(networks.values()));
        handlers.put("network.lookup", p -> find(p.path("network").asText()));
        handlers.put("network.getXml", p -> Map.of("xml", xml.get((String) find(p.path("network").asText()).get("name"))));
        handlers.put("network.define", p -> {
            String x = p.path("xml").asText();
            int a = x.indexOf("<name>");
            int b = x.indexOf("</name>");
            if (a < 0 || b < 0) {
                throw new Fault(2, "XML_PARSE", "XML error: missing <name> in network definition");
            }
            String name = x.substring(a + 6, b);
            if (!networks.containsKey(name)) {
                addNetwork(name, "11111111-2222-4333-8444-555555555555", false, true, false, null, null, x);
            } else {
                xml.put(name, x);
            }
            return networks.get(name);
        });
        handlers.put("network.create", p -> {
            String x = p.path("xml").asText();
            String name = x.substring(x.indexOf("<name>") + 6, x.indexOf("</name>"));
            addNetwork(name, "66666666-2222-4333-8444-555555555555", true, false, false, "virbr9", null, x);
            return networks.get(name);
        });
        handlers.put("network.start", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            if ((boolean) n.get("active")) {
                // libvirt's networkStartNetwork (and the real daemon) word it without the name
                throw new Fault(12, "NETWORK_ACTIVE", "Requested operation is not valid: network is already active");
            }
            n.put("active", true);
            return Map.of();
        });
        handlers.put("network.destroy", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            if (!(boolean) n.get("active")) {
                throw new Fault(13, "NETWORK_INACTIVE", "Requested operation is not valid: network '"
                        + n.get("name") + "' is not active");
            }
            n.put("active", false);
            return Map.of();
        });
        handlers.put("network.undefine", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            networks.remove((String) n.get("name"));
            return Map.of();
        });
        handlers.put("network.setAutostart", p -> {
            find(p.path("network").asText()).put("autostart", p.path("autostart").asBoolean());
            return Map.of();
        });
        handlers.put("network.update", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            boolean live = p.path("live").asBoolean();
            boolean config = p.path("config").asBoolean();
            if (!live && !config) {
                live = (boolean) n.get("active");
                config = !live;
            }
            return Map.of("live", live, "config", config);
        });
        handlers.put("network.serviceStats", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("network", n.get("name"));
            if ((boolean) n.get("active")) {
                out.put("dhcp", Map.of("received", 12, "malformed", 1, "ignored", 2, "offers", 4, "acks", 4, "naks", 1));
                out.put("ra", Map.of("advertisementsSent", 7, "sendFailures", 0, "solicitationsAnswered", 30,
                        "solicitationsRateLimited", 28, "solicitationsMalformed", 5, "solicitationsInvalid", 2, "solicitationsOverflowed", 0));
            }
            return out;
        });
        handlers.put("network.dhcpLeases", p -> {
            find(p.path("network").asText());
            return leases;
        });
        handlers.put("network.getMetadata", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("value", switch (p.path("type").asText()) {
                case "title" -> n.get("title");
                case "description" -> n.get("description");
                default -> n.get("meta:" + p.path("uri").asText());
            });
            return v;
        });
        handlers.put("network.setMetadata", p -> {
            Map<String, Object> n = find(p.path("network").asText());
            String type = p.path("type").asText();
            String key = type.equals("element") ? "meta:" + p.path("uri").asText() : type;
            n.put(key, p.path("value").isNull() ? null : p.path("value").asText());
            return Map.of();
        });
        handlers.put("events.subscribe", p -> Map.of());
        handlers.put("firewall.reload", p -> Map.of());
        handlers.put("network.importLibvirt", p -> {
            boolean takeover = p.path("takeover").asBoolean();
            return Map.of("dryRun", p.path("dryRun").asBoolean(), "networks", List.of(
                    Map.of("name", "default", "uuid", "0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c01", "bridge", "virbr0", "outcome", "imported",
                            "takenOver", takeover, "steps", List.of("define it as libvirt keeps it", "configDir "
                                    + p.path("configDir").asText("(default)"))),
                    Map.of("name", "tr", "uuid", "0c4e6f36-7a3c-4b0e-8a59-2a3d1f6b1c04", "bridge", "virbr3", "outcome", "skipped",
                            "takenOver", false, "steps", List.of("transient and running in libvirt: not imported (only --takeover moves it)"))));
        });
        handlers.put("port.list", p -> {
            find(p.path("network").asText());
            return ports;
        });
        handlers.put("port.getXml", p -> {
            String uuid = p.path("uuid").asText();
            ports.stream().filter(x -> x.get("uuid").equals(uuid)).findFirst()
                    .orElseThrow(() -> new Fault(17, "NO_SUCH_PORT", "Network port not found: no network port with matching uuid '" + uuid + "'"));
            return Map.of("xml", "<networkport>\n  <uuid>" + uuid + "</uuid>\n  <mac address='52:54:00:00:00:01'/>\n"
                    + "  <plug type='network' bridge='virbr0'/>\n</networkport>\n");
        });
        handlers.put("port.create", p -> {
            find(p.path("network").asText());
            Map<String, Object> port = port("c0ffee00-0000-4000-8000-000000000003", "vnet2");
            port.put("mac", p.path("mac").asText());
            return port;
        });
        handlers.put("port.delete", p -> {
            String uuid = p.path("uuid").asText();
            if (ports.stream().noneMatch(x -> x.get("uuid").equals(uuid))) {
                throw new Fault(17, "NO_SUCH_PORT", "Network port not found: no network port with matching uuid '" + uuid + "'");
            }
            return Map.of();
        });
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                clients.add(c);
                Thread.ofPlatform().daemon().start(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            while (true) {
                ByteBuffer head = ByteBuffer.allocate(4);
                if (!readFully(c, head)) {
                    return;
                }
                ByteBuffer body = ByteBuffer.allocate(head.flip().getInt());
                if (!readFully(c, body)) {
                    return;
                }
                JsonNode req = json.readTree(new String(body.array(), StandardCharsets.UTF_8));
                requests.add(req);
                ObjectNode reply = json.createObjectNode();
                reply.put("jsonrpc", "2.0");
                reply.set("id", req.get("id"));
                Function<JsonNode, Object> h = handlers.get(req.path("method").asText());
                try {
                    if (h == null) {
                        throw new Fault(-32601, "RPC_UNKNOWN_METHOD", "unknown method " + req.path("method").asText());
                    }
                    Object result;
                    synchronized (this) {
                        result = h.apply(req.path("params"));
                    }
                    reply.set("result", json.valueToTree(result));
                } catch (Fault f) {
                    ObjectNode err = reply.putObject("error");
                    err.put("code", f.code);
                    err.put("message", f.getMessage());
                    err.putObject("data").put("name", f.name);
                }
                write(c, reply);
                if (req.path("method").asText().equals("events.subscribe")) {
                    for (Map<String, Object> e : eventsOnSubscribe) {
                        ObjectNode n = json.createObjectNode();
                        n.put("jsonrpc", "2.0");
                        n.put("method", "event");
                        n.set("params", json.valueToTree(e));
                        write(c, n);
                    }
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private void write(SocketChannel c, JsonNode msg) throws IOException {
        byte[] b = json.writeValueAsBytes(msg);
        ByteBuffer buf = ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).flip();
        while (buf.hasRemaining()) {
            c.write(buf);
        }
    }

    private static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    List<String> methods() {
        return requests.stream().map(r -> r.path("method").asText()).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : clients) {
            c.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
