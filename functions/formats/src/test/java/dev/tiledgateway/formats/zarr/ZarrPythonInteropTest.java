package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.embedded.store.FileBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Arrays written by ZarrV2Writer, read by zarr-python. Runs only where a Python with zarr and numpy
 * is found: the interpreter named by the ZARR_PYTHON environment variable, else python3 on the PATH.
 */
class ZarrPythonInteropTest {

    private static final String CHECK = """
            import sys, numpy as np, zarr
            root = zarr.open_group(sys.argv[1], mode="r")
            assert root.attrs["title"] == "written by Java"
            expected = np.frombuffer(open(sys.argv[2], "rb").read(), dtype="<f8").reshape(7, 5)
            names = sorted(root.array_keys())
            assert len(names) == int(sys.argv[3]), names
            for name in names:
                z = root[name]
                assert z.dtype == np.dtype("<f8") and z.shape == (7, 5) and z.chunks == (3, 2), name
                assert z.attrs["_ARRAY_DIMENSIONS"] == ["y", "x"], name
                assert z[...].tobytes() == expected.tobytes(), name
            print("ok", len(names))
            """;

    @Test
    void zarrPythonReadsWhatTheWriterWrites(@TempDir Path dir) throws Exception {
        String python = System.getenv().getOrDefault("ZARR_PYTHON", "python3");
        assumeTrue(run(dir, false, python, "-c", "import zarr, numpy") == 0, "no Python with zarr and numpy (set ZARR_PYTHON)");
        FileBlobStore store = new FileBlobStore(dir.resolve("tree"));
        ZarrV2Writer.writeGroup(store, "", java.util.Map.of("title", "written by Java"));
        int n = 0;
        for (V2Compressor comp : ZarrV2WriterTest.COMPRESSORS) ZarrV2WriterTest.writeF8(store, "a" + n++, comp);
        Files.write(dir.resolve("expected.bin"), ZarrV2WriterTest.expectedF8());
        Files.writeString(dir.resolve("check.py"), CHECK);
        assertEquals(0, run(dir, true, python, dir.resolve("check.py").toString(), dir.resolve("tree").toString(),
                dir.resolve("expected.bin").toString(), Integer.toString(n)), "zarr-python check failed, see output.txt");
    }

    private static int run(Path dir, boolean echo, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("output.txt");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (echo) System.out.print(Files.readString(log, StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
