package org.vnetd.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of vnetd-core depend on each other in one direction only (xml and net below, the planner above
 * them, the driver above the planner): a cycle makes two packages one room that has to change together. This
 * reads core's class files and lists every group of packages that reach each other.
 */
class CorePackageCyclesTest {
    private static final String CORE = "org/vnetd/core/";

    @Test
    void corePackagesFormNoCycle() throws Exception {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CoreHasNoIoTest.mainClasses())) {
            files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path f : files) {
            ClassModel model = ClassFile.of().parse(Files.readAllBytes(f));
            String from = pkg(model.thisClass().asInternalName());
            Set<String> types = new TreeSet<>();
            CoreHasNoIoTest.references(model, types, new TreeSet<>());
            Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
            for (String t : types) {
                if (t.startsWith(CORE) && !pkg(t).equals(from)) {
                    to.add(pkg(t));
                }
            }
        }
        assertTrue(uses.containsKey("driver") && uses.get("driver").contains("plan"), uses.toString());
        assertEquals(List.of(), cycles(uses), "core packages that depend on each other");
    }

    @Test
    void aCycleIsFound() {
        Map<String, Set<String>> uses = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(Set.of("a", "b", "c")), cycles(uses));
    }

    /** The package below org/vnetd/core/, e.g. {@code driver}, {@code xml/model}. */
    private static String pkg(String internalName) {
        String rest = internalName.substring(CORE.length());
        int slash = rest.lastIndexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash);
    }

    /** The strongly connected groups of more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> uses) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String p : new TreeSet<>(uses.keySet())) {
            if (!index.containsKey(p)) {
                connect(p, uses, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String p, Map<String, Set<String>> uses, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        onStack.add(p);
        for (String q : uses.getOrDefault(p, Set.of())) {
            if (!index.containsKey(q)) {
                connect(q, uses, index, low, stack, onStack, out);
                low.put(p, Math.min(low.get(p), low.get(q)));
            } else if (onStack.contains(q)) {
                low.put(p, Math.min(low.get(p), index.get(q)));
            }
        }
        if (low.get(p).equals(index.get(p))) {
            Set<String> group = new TreeSet<>();
            String q;
            do {
                q = stack.pop();
                onStack.remove(q);
                group.add(q);
            } while (!q.equals(p));
            if (group.size() > 1) {
                out.add(group);
            }
        }
    }
}
