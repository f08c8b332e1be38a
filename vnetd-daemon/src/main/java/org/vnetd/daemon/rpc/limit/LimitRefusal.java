package org.vnetd.daemon.rpc.limit;

/**
 * Fired down the pipeline (a user event) just before {@link ListenerGuard} closes a connection for a limit, so
 * the protocol handler can tell its client why in its own format when {@link Reason#tellsPeer()}.
 *
 * @param message a sentence for the client, naming the limit
 */
public record LimitRefusal(Reason reason, String message) {
    public enum Reason {
        TOO_MANY_CONNECTIONS("connections over the listener's cap", true),
        TOO_MANY_PEER_CONNECTIONS("connections over the per-peer cap", true),
        FRAME_TOO_LARGE("frames too large", true),
        BUFFER_BUDGET("connections over the buffered-bytes budget", true),
        SLOW_FRAME("frames not completed in time", true),
        IDLE("idle connections", true),
        UNREAD_REPLIES("connections not reading their replies", false);

        private final String plural;
        private final boolean tellsPeer;

        Reason(String plural, boolean tellsPeer) {
            this.plural = plural;
            this.tellsPeer = tellsPeer;
        }

        /** How a log line counts refusals of this reason ("3 frames too large"). */
        public String plural() {
            return plural;
        }

        /** Whether a reply can reach the client (not when it is the one not reading). */
        public boolean tellsPeer() {
            return tellsPeer;
        }
    }
}
