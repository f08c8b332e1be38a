package org.vnetd.cli.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an interactive line into commands and words the way virsh's vshCommandStringGetArg does:
 * blanks separate words, {@code ;} separates commands, single quotes are literal, a backslash escapes
 * outside single quotes, double quotes group, {@code #} at the start of a command makes the rest a comment.
 */
public final class LineTokenizer {
    private LineTokenizer() {
    }

    public static List<List<String>> split(String line) throws UsageException {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (line.charAt(i) == ';') {
                addCommand(commands, words);
                words = new ArrayList<>();
                i++;
                continue;
            }
            StringBuilder word = new StringBuilder();
            boolean single = false;
            boolean dbl = false;
            while (i < n) {
                char c = line.charAt(i);
                if (!single && !dbl && (c == ' ' || c == '\t' || c == ';')) {
                    break;
                }
                if (!dbl && c == '\'') {
                    single = !single;
                    i++;
                    continue;
                }
                if (!single && c == '\\') {
                    i++;
                    if (i >= n) {
                        throw new UsageException("dangling \\");
                    }
                    word.append(line.charAt(i++));
                    continue;
                }
                if (!single && c == '"') {
                    dbl = !dbl;
                    i++;
                    continue;
                }
                word.append(c);
                i++;
            }
            if (dbl) {
                throw new UsageException("missing \"");
            }
            words.add(word.toString());
        }
        addCommand(commands, words);
        return commands;
    }

    private static void addCommand(List<List<String>> commands, List<String> words) {
        if (!words.isEmpty() && !words.getFirst().startsWith("#")) {
            commands.add(List.copyOf(words));
        }
    }
}
