/**
 * The daemon's own memory housekeeping: giving back to the kernel what a burst of work left committed once the
 * daemon is quiet again. The JVM options that size the heap, stacks, code cache and direct memory are in the
 * launcher ({@code scripts/lib/java.sh}); bench/memory has the figures behind both.
 */
package org.vnetd.daemon.memory;
