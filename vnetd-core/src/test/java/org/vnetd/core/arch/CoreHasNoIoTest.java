package org.vnetd.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.constantpool.NameAndTypeEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.vnetd.core.driver.NetworkDriver;

/**
 * vnetd-core is pure logic: sockets, files, processes and native calls belong to the daemon. This reads
 * every class file compiled from core's sources and fails when one refers to a JDK API that does I/O, so the
 * rule cannot quietly erode. A {@code module-info} could hide the daemon's packages from core but not the
 * JDK's ({@code java.base} exports sockets and files to everyone), so the check is on the bytecode.
 */
class CoreHasNoIoTest {
    /** A forbidden class (or package, ending in '/') or method ({@code owner.name}), in internal form. */
    private record Rule(String target, String why) {
        boolean matchesType(String internalName) {
            return target.endsWith("/") ? internalName.startsWith(target) : internalName.equals(target);
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("java/net/Socket", "sockets"),
            new Rule("java/net/ServerSocket", "sockets"),
            new Rule("java/net/DatagramSocket", "sockets"),
            new Rule("java/net/MulticastSocket", "sockets"),
            new Rule("java/net/DatagramPacket", "sockets"),
            new Rule("java/net/NetworkInterface", "host interfaces"),
            new Rule("java/net/URLConnection", "network connections"),
            new Rule("java/net/HttpURLConnection", "network connections"),
            new Rule("java/net/http/", "network connections"),
            new Rule("java/net/InetAddress.getByName", "name resolution"),
            new Rule("java/net/InetAddress.getAllByName", "name resolution"),
            new Rule("java/net/InetAddress.getLocalHost", "name resolution"),
            new Rule("java/net/InetAddress.getHostName", "name resolution"),
            new Rule("java/net/InetAddress.getCanonicalHostName", "name resolution"),
            new Rule("java/net/InetAddress.isReachable", "network probes"),
            new Rule("java/nio/channels/", "channels"),
            new Rule("java/nio/file/Files", "files"),
            new Rule("java/nio/file/FileSystems", "files"),
            new Rule("java/nio/file/WatchService", "files"),
            new Rule("java/nio/file/spi/", "files"),
            new Rule("java/io/File", "files"),
            new Rule("java/io/FileInputStream", "files"),
            new Rule("java/io/FileOutputStream", "files"),
            new Rule("java/io/FileReader", "files"),
            new Rule("java/io/FileWriter", "files"),
            new Rule("java/io/RandomAccessFile", "files"),
            new Rule("java/io/FileDescriptor", "files"),
            new Rule("java/lang/System.out", "console output (log instead)"),
            new Rule("java/lang/System.err", "console output (log instead)"),
            new Rule("java/lang/System.in", "console input"),
            new Rule("java/lang/System.load", "native libraries"),
            new Rule("java/lang/System.loadLibrary", "native libraries"),
            new Rule("java/lang/ProcessBuilder", "processes"),
            new Rule("java/lang/Process", "processes"),
            new Rule("java/lang/ProcessHandle", "processes"),
            new Rule("java/lang/Runtime.exec", "processes"),
            new Rule("java/lang/foreign/", "native calls (FFM)"),
            new Rule("sun/misc/Unsafe", "native memory"),
            new Rule("jdk/internal/", "JDK internals"),
            new Rule("io/netty/", "the daemon's transport"),
            new Rule("org/vnetd/daemon/", "the daemon"));

    /**
     * Reviewed exceptions, as {@code class -> reference}: each says why the reference does no I/O.
     * IpAddresses.parse hands InetAddress.getByName only strings of hex digits, ':' and '.', which are
     * literals and never resolved.
     */
    private static final Set<String> ALLOWED = Set.of(
            "org/vnetd/core/net/IpAddresses -> java/net/InetAddress.getByName");

    private static final Pattern DESCRIPTOR_TYPE = Pattern.compile("L([^;<]+)[;<]");

    @Test
    void noCoreClassRefersToAnIoApi() throws Exception {
        Path classes = mainClasses();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        assertTrue(files.size() > 100, "expected core's compiled classes in " + classes + ", found " + files.size());
        List<String> violations = new ArrayList<>();
        for (Path f : files) {
            violations.addAll(violations(Files.readAllBytes(f)));
        }
        assertEquals(List.of(), violations, "vnetd-core must do no I/O; move these to vnetd-daemon behind an interface");
    }

    @Test
    void theCheckSeesTypesMethodsAndFields() throws IOException {
        List<String> found = violations(classBytes(DoesIo.class));
        String self = DoesIo.class.getName().replace('.', '/');
        assertTrue(found.contains(self + " -> java/nio/file/Files (files)"), found.toString());
        assertTrue(found.contains(self + " -> java/nio/channels/DatagramChannel (channels)"), found.toString());
        assertTrue(found.contains(self + " -> java/net/InetAddress.getByName (name resolution)"), found.toString());
        assertTrue(found.contains(self + " -> java/lang/System.out (console output (log instead))"), found.toString());
        assertTrue(found.contains(self + " -> java/lang/ProcessBuilder (processes)"), found.toString());
        assertEquals(List.of(), violations(classBytes(Pure.class)));
    }

    /** Every forbidden reference of one class file, as {@code class -> reference (why)}. */
    static List<String> violations(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        String self = model.thisClass().asInternalName();
        Set<String> types = new TreeSet<>();
        Set<String> members = new TreeSet<>();
        references(model, types, members);
        Set<String> out = new TreeSet<>();
        for (Rule r : RULES) {
            for (String t : types) {
                if (r.matchesType(t)) {
                    out.add(self + " -> " + t + " (" + r.why() + ")");
                }
            }
            for (String m : members) {
                if (m.equals(r.target())) {
                    out.add(self + " -> " + m + " (" + r.why() + ")");
                }
            }
        }
        out.removeIf(v -> ALLOWED.contains(v.substring(0, v.indexOf(" ("))));
        return List.copyOf(out);
    }

    /** The types (internal names) and members ({@code owner.name}) a class file refers to. */
    static void references(ClassModel model, Set<String> types, Set<String> members) {
        for (PoolEntry e : model.constantPool()) {
            switch (e) {
                case ClassEntry c -> types.add(elementType(c.asInternalName()));
                case MemberRefEntry m -> {
                    members.add(m.owner().asInternalName() + "." + m.name().stringValue());
                    addDescriptorTypes(m.type().stringValue(), types);
                }
                case NameAndTypeEntry nt -> addDescriptorTypes(nt.type().stringValue(), types);
                case MethodTypeEntry mt -> addDescriptorTypes(mt.descriptor().stringValue(), types);
                default -> {
                }
            }
        }
        model.fields().forEach(f -> addDescriptorTypes(f.fieldType().stringValue(), types));
        model.methods().forEach(m -> addDescriptorTypes(m.methodType().stringValue(), types));
    }

    private static String elementType(String internalName) {
        if (!internalName.startsWith("[")) {
            return internalName;
        }
        Matcher m = DESCRIPTOR_TYPE.matcher(internalName);
        return m.find() ? m.group(1) : internalName;
    }

    private static void addDescriptorTypes(String descriptor, Set<String> into) {
        Matcher m = DESCRIPTOR_TYPE.matcher(descriptor);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    static Path mainClasses() throws URISyntaxException {
        return Path.of(NetworkDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** What the check must catch. */
    @SuppressWarnings("unused")
    private static final class DoesIo {
        private java.nio.channels.DatagramChannel channel;

        String read(Path p) throws IOException {
            System.out.println("reading " + p);
            new ProcessBuilder("true");
            return Files.readString(p) + java.net.InetAddress.getByName("example.org");
        }
    }

    /** What the check must let through: values about networks are not I/O. */
    @SuppressWarnings("unused")
    private static final class Pure {
        String show(java.net.InetAddress a, java.net.InetSocketAddress s) {
            return a.getHostAddress() + s.getPort();
        }
    }
}
