package org.vnetd.core.ra;

/** Counters of one bridge's router advertiser since it started. */
public record RaStats(long advertisementsSent, long solicitationsAnswered, long dropped) {
}
