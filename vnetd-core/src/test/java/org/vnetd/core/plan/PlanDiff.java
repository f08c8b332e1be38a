package org.vnetd.core.plan;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two plan texts (longest common subsequence): {@code - } golden, {@code + } now, {@code   } both. */
final class PlanDiff {
    private PlanDiff() {
    }

    /** Empty when equal; otherwise every line, marked. */
    static List<String> lines(String expected, String actual) {
        if (expected.equals(actual)) {
            return List.of();
        }
        String[] a = expected.lines().toArray(String[]::new);
        String[] b = actual.lines().toArray(String[]::new);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add("  " + a[i++]);
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("- " + a[i++]);
            } else {
                out.add("+ " + b[j++]);
            }
        }
        return out;
    }
}
