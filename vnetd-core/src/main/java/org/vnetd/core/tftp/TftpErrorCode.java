package org.vnetd.core.tftp;

/** The error codes of RFC 1350 section 5, plus 8 (option negotiation refused) from RFC 2347. */
public enum TftpErrorCode {
    NOT_DEFINED(0, "Not defined"),
    FILE_NOT_FOUND(1, "File not found"),
    ACCESS_VIOLATION(2, "Access violation"),
    DISK_FULL(3, "Disk full or allocation exceeded"),
    ILLEGAL_OPERATION(4, "Illegal TFTP operation"),
    UNKNOWN_TRANSFER_ID(5, "Unknown transfer ID"),
    FILE_EXISTS(6, "File already exists"),
    NO_SUCH_USER(7, "No such user"),
    OPTION_REFUSED(8, "Option negotiation refused");

    private final int code;
    private final String text;

    TftpErrorCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** RFC 1350's wording, used as the message when there is nothing more specific to say. */
    public String text() {
        return text;
    }

    /** The code for a number read off the wire; codes outside RFC 1350/2347 are {@link #NOT_DEFINED}. */
    public static TftpErrorCode of(int code) {
        for (TftpErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return NOT_DEFINED;
    }
}
