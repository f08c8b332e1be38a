package org.vnetd.daemon.rpc;

import java.util.List;

/**
 * A dispatcher result that is answered with open file descriptors instead of a JSON frame: each fd
 * is written as its own SCM_RIGHTS message (one byte of data each), in order, and nothing else is
 * written for the request. {@code afterSent} runs once the writes are done (or failed) and closes the
 * daemon's copies; the receiver must already read in FILE_DESCRIPTORS mode (docs/rpc.md, port.fd).
 */
public record FdReply(List<Integer> fds, Runnable afterSent) {
    public FdReply {
        fds = List.copyOf(fds);
    }
}
