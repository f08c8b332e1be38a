package org.vnetd.daemon.dhcp;

import org.vnetd.daemon.time.BootClock;

import java.io.File;
import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The lease files' JSON, one per daemon and shared by every network's store. Jackson builds a type's
 * serializer and deserializer once per mapper: with a mapper per store, each network's first ACK paid
 * for them again (milliseconds in a warm JVM). Thread-safe: Jackson's mapper, readers and writers are.
 */
public final class LeaseRecordJson {
    private static final TypeReference<List<LeaseRecord>> SNAPSHOT = new TypeReference<>() { };
    private final ObjectMapper mapper = new ObjectMapper();
    private final BootClock clock;

    /** Records with wall-clock expiries only (tests, tools). */
    public LeaseRecordJson() {
        this(null);
    }

    /** @param clock the daemon's lease clock: expiries are written and read in boot time too (see {@link LeaseRecord}) */
    public LeaseRecordJson(BootClock clock) {
        this.clock = clock;
    }

    /** The lease clock records are converted with, or null (wall clock only). */
    BootClock clock() {
        return clock;
    }

    /**
     * A writer of records as JSON lines. Made per store at its first write, not here: a writer for a
     * type builds that type's serializer at once, which a daemon start or a network start need not wait for.
     */
    ObjectWriter lineWriter() {
        return mapper.writerFor(LeaseRecord.class).withRootValueSeparator("\n");
    }

    /**
     * A writer of a snapshot's records, one per line with {@code ,} between them (the array's brackets
     * are the caller's); it leaves the stream open when it closes.
     */
    ObjectWriter snapshotWriter() {
        return mapper.writerFor(LeaseRecord.class).withRootValueSeparator(",\n").without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    LeaseRecord read(String line) throws JsonProcessingException {
        return mapper.readValue(line, LeaseRecord.class);
    }

    List<LeaseRecord> readSnapshot(File file) throws IOException {
        return mapper.readValue(file, SNAPSHOT);
    }
}
