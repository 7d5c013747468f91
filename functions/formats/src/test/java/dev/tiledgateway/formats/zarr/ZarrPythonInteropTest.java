package dev.tiledgateway.formats.zarr;

import dev.tiledgateway.core.structure.DataType;
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
            assert root.attrs["unit"] == "\u00b5m", root.attrs["unit"]
            text = root["text"]
            assert text.dtype == np.dtype("<U7") and text.fill_value == "f\u00efll", (text.dtype, text.fill_value)
            assert text[...].tolist() == ["\u00e9t\u00e9", "f\u00efll", "f\u00efll"], text[...].tolist()
            expected = np.frombuffer(open(sys.argv[2], "rb").read(), dtype="<f8").reshape(7, 5)
            names = sorted(k for k in root.array_keys() if k != "text")
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
        ZarrV2Writer.writeGroup(store, "", java.util.Map.of("title", "written by Java", "unit", "\u00b5m"));
        // non-ASCII metadata: zarr-python 2.13 decodes .zarray and .zattrs as ASCII, so the writer must escape it
        ZarrV2Writer text = ZarrV2Writer.create(store, "text", DataType.Builtin.parse("<U7"), new long[] {3}, new int[] {2},
                V2Compressor.zstd(1), "f\u00efll", java.util.Map.of("note", "\u00e9t\u00e9 \uD83D\uDE42"));
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(2 * 28).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        "\u00e9t\u00e9".codePoints().forEach(chunk::putInt);
        chunk.position(28);
        "f\u00efll".codePoints().forEach(chunk::putInt);
        text.writeChunk(new long[] {0}, chunk.array()); // chunk 1 stays unwritten: the fill value
        int n = 0;
        for (V2Compressor comp : ZarrV2WriterTest.COMPRESSORS) ZarrV2WriterTest.writeF8(store, "a" + n++, comp);
        Files.write(dir.resolve("expected.bin"), ZarrV2WriterTest.expectedF8());
        python.check(dir, CHECK, dir.resolve("tree").toString(), dir.resolve("expected.bin").toString(), Integer.toString(n));
    }
}
