package org.vnetd.core.tftp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The outcome of a read request's options (RFC 2347): the values the transfer uses and the OACK
 * entries that announce them. Options this server does not know, and values outside what their RFC
 * allows, are left out of the OACK, so the client falls back to the default (RFC 2347 section
 * "Negotiation Protocol"); no request is refused because of its options.
 *
 * <ul>
 *   <li>blksize (RFC 2348): 8..65464 accepted; the grant is min(asked, {@link TftpLimits#maxBlockSize()}).</li>
 *   <li>tsize (RFC 2349): the file's size, in octet mode only (a netascii transfer's size is not
 *       known before it is converted; dnsmasq leaves it out too).</li>
 *   <li>timeout (RFC 2349): 1..255 seconds, granted as asked (the RFC wants the same value back).</li>
 *   <li>windowsize (RFC 7440): 1..65535 accepted, granted up to {@link TftpLimits#maxWindow()}, octet
 *       mode only (netascii blocks are made one at a time).</li>
 * </ul>
 *
 * @param blockSize  octets of data per DATA packet
 * @param windowSize DATA packets sent before an ACK is awaited
 * @param timeout    the fixed retransmission timeout the client asked for, or null for the server's backoff
 * @param oack       what the OACK carries; empty means no OACK, DATA 1 answers the request at once
 */
public record Negotiation(int blockSize, int windowSize, Duration timeout, Map<String, String> oack) {
    public Negotiation {
        oack = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(oack));
    }

    /** RFC 1350 without options: 512-octet blocks, one at a time. */
    public static Negotiation plain() {
        return new Negotiation(TftpLimits.DEFAULT_BLOCK_SIZE, 1, null, Map.of());
    }

    /**
     * @param requested the request's options (names lower-case, in the client's order)
     * @param fileSize  the size of the file being read
     */
    public static Negotiation of(Map<String, String> requested, TransferMode mode, long fileSize, TftpLimits limits) {
        int block = TftpLimits.DEFAULT_BLOCK_SIZE;
        int window = 1;
        Duration timeout = null;
        Map<String, String> oack = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : requested.entrySet()) {
            OptionalLong v = number(e.getValue());
            switch (e.getKey()) {
                case "blksize" -> {
                    if (v.isPresent() && v.getAsLong() >= TftpLimits.MIN_BLOCK_SIZE) {
                        block = (int) Math.min(Math.min(v.getAsLong(), TftpLimits.MAX_BLOCK_SIZE), limits.maxBlockSize());
                        oack.put("blksize", Integer.toString(block));
                    }
                }
                case "tsize" -> {
                    if (mode == TransferMode.OCTET && v.isPresent()) {
                        oack.put("tsize", Long.toString(fileSize));
                    }
                }
                case "timeout" -> {
                    if (v.isPresent() && v.getAsLong() >= 1 && v.getAsLong() <= 255) {
                        timeout = Duration.ofSeconds(v.getAsLong());
                        oack.put("timeout", Long.toString(v.getAsLong()));
                    }
                }
                case "windowsize" -> {
                    if (mode == TransferMode.OCTET && v.isPresent() && v.getAsLong() >= 1 && v.getAsLong() <= 0xffff) {
                        window = (int) Math.min(v.getAsLong(), limits.maxWindow());
                        oack.put("windowsize", Integer.toString(window));
                    }
                }
                default -> {
                    // unknown options are ignored (RFC 2347)
                }
            }
        }
        return new Negotiation(block, window, timeout, oack);
    }

    /** A decimal number of at most 10 digits, or empty; no signs, blanks or hex. */
    private static OptionalLong number(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(s));
    }
}
