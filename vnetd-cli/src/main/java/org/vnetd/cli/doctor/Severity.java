package org.vnetd.cli.doctor;

/** How bad a finding is; any FAIL makes {@code vnetctl doctor} exit 1. */
public enum Severity {
    OK(" OK "), INFO("INFO"), WARN("WARN"), FAIL("FAIL");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
