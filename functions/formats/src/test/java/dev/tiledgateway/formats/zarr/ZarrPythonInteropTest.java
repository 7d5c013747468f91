package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.embedded.store.FileBlobStore;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Arrays written by ZarrV2Writer, read by zarr-python: the interpreter named by the ZARR_PYTHON environment variable
 * (.ci/run points it at the system Python with Debian's zarr), else python3 on the PATH.
 */
@Interop
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
        Python python = Python.fromEnv("ZARR_PYTHON").require("zarr", "numpy");
        FileBlobStore store = new FileBlobStore(dir.resolve("tree"));
        ZarrV2Writer.writeGroup(store, "", java.util.Map.of("title", "written by Java"));
        int n = 0;
        for (V2Compressor comp : ZarrV2WriterTest.COMPRESSORS) ZarrV2WriterTest.writeF8(store, "a" + n++, comp);
        Files.write(dir.resolve("expected.bin"), ZarrV2WriterTest.expectedF8());
        python.check(dir, CHECK, dir.resolve("tree").toString(), dir.resolve("expected.bin").toString(), Integer.toString(n));
    }
}
