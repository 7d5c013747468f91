package dev.tiledgateway.formats.zarr;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** One ZarrArray instance read from many threads at once gives the same bytes as read alone. */
class ZarrConcurrencyTest {

    @Test
    void readChunkIsThreadSafe() throws Exception {
        List<String> paths = List.of("v2/comp_blosc_lz4_shuffle", "v2/order_f_3d", "v2/comp_zstd", "v3/sharded_end",
                "v3/sharded_start", "v3/transpose_3d", "v3/blosc_zstd_bitshuffle");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (String path : paths) {
                ZarrArray a = ZarrArray.open(Fixtures.store(), path);
                byte[] expected = Fixtures.expected(path);
                List<Future<byte[]>> results = new ArrayList<>();
                for (int i = 0; i < 32; i++) results.add(pool.submit(() -> Fixtures.assemble(a)));
                for (Future<byte[]> f : results) assertArrayEquals(expected, f.get(), path);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
