package org.vnetd.cli.doctor;

/**
 * One result of one check: what was found, why it matters, and the command or change that fixes it
 * ({@code why} and {@code fix} are empty for OK findings).
 */
public record Finding(String check, Severity severity, String summary, String why, String fix) {

    public static Finding ok(String check, String summary) {
        return new Finding(check, Severity.OK, summary, "", "");
    }

    public static Finding info(String check, String summary, String why) {
        return new Finding(check, Severity.INFO, summary, why, "");
    }
}
