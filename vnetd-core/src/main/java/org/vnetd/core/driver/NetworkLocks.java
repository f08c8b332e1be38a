package org.vnetd.core.driver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.vnetd.core.error.ErrorCode;
import org.vnetd.core.error.VnetException;

/**
 * One lock per network name: operations on one network run one at a time, different networks in
 * parallel. Locks are keyed by name (not object) so a define racing a start of the same name
 * serializes too. A waiter gives up after a bound instead of hanging an RPC forever.
 */
public final class NetworkLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final long timeoutMillis;

    public NetworkLocks(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    public <T> T with(String name, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock(true));
        boolean got;
        try {
            got = lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VnetException(ErrorCode.INTERNAL, "interrupted while waiting for network '" + name + "'");
        }
        if (!got) {
            throw VnetException.of(ErrorCode.INTERNAL,
                    "Timed out during operation: cannot acquire state change lock on network '%s' (another operation is running)", name);
        }
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    public void run(String name, Runnable action) {
        with(name, () -> {
            action.run();
            return null;
        });
    }
}
