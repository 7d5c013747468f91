package dev.tiledgateway.core.write;

import dev.tiledgateway.core.structure.ArrayStructure;
import dev.tiledgateway.core.store.BlobStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writers are found through ServiceLoader on the first write, not when the router is built: a function that only
 * reads never loads them. {@link Registered} is this module's only registered {@link ArrayWriter} (test resources).
 */
class DataWritersDiscoveryTest {

    /** Counts its instances: ServiceLoader makes one each time the writers are looked up. */
    public static final class Registered implements ArrayWriter {
        static final AtomicInteger MADE = new AtomicInteger();

        public Registered() { MADE.incrementAndGet(); }

        @Override public Set<String> mimetypes() { return Set.of("application/x-discovery-test"); }
        @Override public Optional<String> refusal(ArrayStructure structure) { return Optional.of("a test writer writes nothing"); }
        @Override public void writeMetadata(BlobStore store, String prefix, ArrayStructure structure) { throw new UnsupportedOperationException(); }
        @Override public void writeChunk(BlobStore store, String prefix, ArrayStructure structure, long[] chunkIndex, byte[] chunk) {
            throw new UnsupportedOperationException();
        }
        @Override public String chunkKey(String prefix, ArrayStructure structure, long[] chunkIndex) { return prefix + "c"; }
    }

    @Test
    void writersAreLookedUpOnFirstUseAndOnce() {
        int before = Registered.MADE.get();
        DataWriters writers = DataWriters.discover();
        assertEquals(before, Registered.MADE.get(), "no writer made before a write needs one");
        assertTrue(writers.array("application/x-discovery-test").orElseThrow() instanceof Registered);
        assertEquals(List.of("application/x-discovery-test"), writers.arrayMimetypes());
        assertEquals(List.of(), writers.tableMimetypes());
        assertTrue(writers.coo("application/vnd.apache.arrow.file").isEmpty());
        assertEquals(before + 1, Registered.MADE.get(), "looked up once");
    }
}
