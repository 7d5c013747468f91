package dev.tiledgateway.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /array/full} and {@code /array/block} over real HTTP, for every dtype of the demo, and their mistakes. */
class ArrayHttpTest {

    private final Http http = DemoServer.http();

    private static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); }

    private double[] doubles(String url) throws Exception {
        ByteBuffer b = le(http.data(url));
        double[] d = new double[b.remaining() / 8];
        for (int i = 0; i < d.length; i++) d[i] = b.getDouble(i * 8);
        return d;
    }

    @Test
    void zeroDimensionalScalars() throws Exception {
        assertEquals(3.14159, le(http.data("/api/v1/array/full/scalars/pi?expected_shape=scalar")).getDouble(0));
        assertEquals(42L, le(http.data("/api/v1/array/full/scalars/fortytwo?expected_shape=scalar")).getLong(0));
        byte[] fsc = http.data("/api/v1/array/full/scalars/fsc?expected_shape=scalar");
        assertEquals(20, fsc.length);
        assertEquals("1/137", new String(fsc, Charset.UTF32LE).replace("\0", ""));
    }

    @Test
    void unicodeStrings() throws Exception {
        byte[] e = http.data("/api/v1/array/full/scalars/e_arr?expected_shape=1");
        assertEquals(28, e.length);
        assertEquals("2.71828", new String(e, Charset.UTF32LE));
    }

    @Test
    void structuredRecordsArePacked() throws Exception {
        ByteBuffer b = le(http.data("/api/v1/array/full/structured_data/pets?expected_shape=2"));
        assertEquals(96, b.capacity());
        byte[] name = new byte[40];
        b.get(48, name);
        assertEquals("Fido", new String(name, Charset.UTF32LE).replace("\0", ""));
        assertEquals(3, b.getInt(48 + 40));
        assertEquals(27.0f, b.getFloat(48 + 44));
        assertEquals(9, b.getInt(40));
    }

    @Test
    void integersComplexAndOnes() throws Exception {
        ByteBuffer ones = le(http.data("/api/v1/array/full/low_entropy?expected_shape=100,100"));
        assertEquals(40_000, ones.capacity());
        for (int i = 0; i < 10_000; i++) assertEquals(1, ones.getInt(i * 4));
        ByteBuffer ints = le(http.data("/api/v1/array/full/high_entropy?expected_shape=100,100"));
        for (int i = 0; i < 10_000; i++) assertTrue(ints.getLong(i * 8) >= -10 && ints.getLong(i * 8) < 10);
        ByteBuffer c = le(http.data("/api/v1/array/full/nested/complex?slice=0,:2&expected_shape=2"));
        ByteBuffer all = le(http.data("/api/v1/array/full/nested/complex?expected_shape=30,50"));
        assertEquals(all.getDouble(16), c.getDouble(16));
        assertEquals(all.getDouble(24), c.getDouble(24));
    }

    @Test
    void slicesMatchTheWholeArrayRead() throws Exception {
        double[] full = doubles("/api/v1/array/full/nested/images/tiny_image?expected_shape=50,50");
        assertEquals(2500, full.length);
        double[] s = doubles("/api/v1/array/full/nested/images/tiny_image?slice=10:20:3,-1&expected_shape=4");
        for (int k = 0; k < 4; k++) assertEquals(full[(10 + 3 * k) * 50 + 49], s[k]);
        double[] rev = doubles("/api/v1/array/full/nested/images/tiny_image?slice=::-1,5&expected_shape=50");
        for (int k = 0; k < 50; k++) assertEquals(full[(49 - k) * 50 + 5], rev[k]);
        double[] neg = doubles("/api/v1/array/full/nested/images/tiny_image?slice=-1:-8:-3,40:&expected_shape=3,10");
        for (int i = 0; i < 3; i++) for (int j = 0; j < 10; j++) assertEquals(full[(49 - 3 * i) * 50 + 40 + j], neg[i * 10 + j]);
    }

    @Test
    void mediumImageAcrossChunks() throws Exception {
        double[] band = doubles("/api/v1/array/full/nested/images/medium_image?slice=100:200,::7&expected_shape=100,143");
        double[] block = doubles("/api/v1/array/block/nested/images/medium_image?block=0,1&expected_shape=250,100");
        double[] rows = doubles("/api/v1/array/full/nested/images/medium_image?slice=0:250,100:200&expected_shape=250,100");
        assertArrayEquals(rows, block);
        double[] wide = doubles("/api/v1/array/full/nested/images/medium_image?slice=100:200&expected_shape=100,1000");
        for (int i = 0; i < 100; i++) for (int j = 0; j < 143; j++) assertEquals(wide[i * 1000 + 7 * j], band[i * 143 + j]);
    }

    @Test
    void blockWithASliceInside() throws Exception {
        double[] block = doubles("/api/v1/array/block/nested/images/medium_image?block=1,2&expected_shape=250,100");
        double[] part = doubles("/api/v1/array/block/nested/images/medium_image?block=1,2&slice=10:20,::-10&expected_shape=10,10");
        for (int i = 0; i < 10; i++) for (int j = 0; j < 10; j++) assertEquals(block[(10 + i) * 100 + 99 - 10 * j], part[i * 10 + j]);
        assertEquals(3.14159, le(http.data("/api/v1/array/block/scalars/pi?block=&expected_shape=scalar")).getDouble(0));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/array/full/flat_array?slice=a:b|422",
            "/api/v1/array/full/flat_array?slice=1:2:3:4|422",
            "/api/v1/array/full/flat_array?slice=::0|422",
            "/api/v1/array/full/flat_array?slice=100|400",
            "/api/v1/array/full/flat_array?slice=1,2|400",
            "/api/v1/array/full/flat_array?expected_shape=abc|422",
            "/api/v1/array/full/flat_array?expected_shape=99|422",
            "/api/v1/array/full/flat_array?format=image/bmp|406",
            "/api/v1/array/full/flat_array?format=png|406",
            "/api/v1/array/full/nope|404",
            "/api/v1/array/full/nested|404",
            "/api/v1/array/block/nested/images/medium_image|422",
            "/api/v1/array/block/nested/images/medium_image?block=0|422",
            "/api/v1/array/block/nested/images/medium_image?block=4,0|400",
            "/api/v1/array/block/nested/images/medium_image?block=x,0|422",
            "/api/v1/array/block/nested/images/medium_image?block=-1,0|422",
            "/api/v1/array/block/nested/images/medium_image?block=0,0&slice=300|400",
            "/api/v1/array/block/nested/images/medium_image?block=0,0&expected_shape=1000,1000|422",
            "/api/v1/array/block/nested/images/medium_image?block=99999999999999999999,0|400",
            "/api/v1/array/full/nested/cubes/tiny_hypercube|400",
    })
    void mistakesAreClear4xx(String url, int status) throws Exception {
        HttpResponse<byte[]> r = http.get(url, "Accept", "application/octet-stream");
        assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(Http.detailOf(r).asText().length() > 5);
    }

    /** Tiled answers a block past the array's blocks with 400 "Block index out of range"; the detail says which blocks exist. */
    @Test
    void aBlockOutOfRangeIs400AndSaysWhichBlocksExist() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/array/block/nested/images/medium_image?block=0,10", "Accept", "application/octet-stream");
        assertEquals(400, r.statusCode());
        String detail = Http.detailOf(r).asText();
        assertTrue(detail.startsWith("Block index out of range"), detail);
        assertTrue(detail.contains("dimension 1") && detail.contains("10 blocks (indices 0 to 9)"), detail);
    }

    @Test
    void anyTypeAndTypeRangesPickTheArraysFormats() throws Exception {
        HttpResponse<byte[]> any = http.get("/api/v1/array/full/nested/images/tiny_image", "Accept", "*/*");
        assertEquals("application/octet-stream", any.headers().firstValue("content-type").orElseThrow());
        assertEquals(20_000, any.body().length);
        HttpResponse<byte[]> image = http.get("/api/v1/array/full/nested/images/tiny_image", "Accept", "image/*");
        assertEquals("image/png", image.headers().firstValue("content-type").orElseThrow());
        HttpResponse<byte[]> weighed = http.get("/api/v1/array/full/flat_array", "Accept", "application/octet-stream;q=0.2, application/json");
        assertEquals("application/json", weighed.headers().firstValue("content-type").orElseThrow());
        assertEquals(406, http.get("/api/v1/array/full/flat_array", "Accept", "*/*;q=0").statusCode());
    }

    @Test
    void unsupportedFormatListsWhatIsOffered() throws Exception {
        HttpResponse<byte[]> r = http.get("/api/v1/array/full/flat_array", "Accept", "application/x-hdf5");
        assertEquals(406, r.statusCode());
        assertTrue(Http.detailOf(r).asText().contains("application/octet-stream"));
    }

    @Test
    void formatsByAliasAndAccept() throws Exception {
        HttpResponse<byte[]> json = http.get("/api/v1/array/full/scalars/e_arr?format=json");
        assertEquals("[\"2.71828\"]", new String(json.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", json.headers().firstValue("content-type").orElseThrow());
        assertEquals("[[\"Rex\",9,81.0],[\"Fido\",3,27.0]]",
                new String(http.get("/api/v1/array/full/structured_data/pets?format=json").body(), StandardCharsets.UTF_8), "records as numpy tuples");
        assertEquals("3.14159", new String(http.get("/api/v1/array/full/scalars/pi?format=json").body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> csv = http.get("/api/v1/array/full/low_entropy?slice=0:2,0:3", "Accept", "text/csv");
        assertEquals("1,1,1\n1,1,1\n", new String(csv.body(), StandardCharsets.UTF_8));
        assertTrue(csv.headers().firstValue("content-type").orElseThrow().startsWith("text/csv"));
        assertEquals(406, http.get("/api/v1/array/full/nested/cubes/tiny_cube?format=csv").statusCode());
        HttpResponse<byte[]> any = http.get("/api/v1/array/full/flat_array", "Accept", "*/*");
        assertEquals("application/octet-stream", any.headers().firstValue("content-type").orElseThrow());
        HttpResponse<byte[]> named = http.get("/api/v1/array/full/flat_array?format=csv&filename=x.csv");
        assertEquals("attachment; filename=\"x.csv\"", named.headers().firstValue("content-disposition").orElseThrow());
    }

    @Test
    void imagesOfTwoDimensionalArrays() throws Exception {
        HttpResponse<byte[]> png = http.get("/api/v1/array/full/nested/images/tiny_image?format=png");
        assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
        assertEquals(50, img.getWidth());
        assertEquals(50, img.getHeight());
        byte[] raw = http.data("/api/v1/array/full/high_entropy");
        byte[] tiff = http.get("/api/v1/array/full/high_entropy", "Accept", "image/tiff").body();
        assertEquals("II", new String(tiff, 0, 2, StandardCharsets.US_ASCII));
        assertArrayEquals(raw, java.util.Arrays.copyOfRange(tiff, tiff.length - raw.length, tiff.length), "TIFF holds the raw int64 samples");
        assertEquals(406, http.get("/api/v1/array/full/nested/cubes/tiny_cube?format=png").statusCode());
        assertEquals(406, http.get("/api/v1/array/full/structured_data/pets?format=tiff").statusCode());
        assertTrue(new String(http.get("/api/v1/array/full/low_entropy?format=html").body(), StandardCharsets.UTF_8).contains("data:image/png;base64,"));
    }

    @Test
    void theDynamicArrayIsAlwaysWholeAndUniform() throws Exception {
        for (int i = 0; i < 3; i++) {
            double[] d = doubles("/api/v1/array/full/dynamic?expected_shape=3,3");
            assertEquals(9, d.length);
            for (double x : d) assertEquals(d[0], x);
        }
    }

    /** UTF-32 little-endian, as numpy stores {@code <U}. */
    static final class Charset {
        static final java.nio.charset.Charset UTF32LE = java.nio.charset.Charset.forName("UTF-32LE");
    }
}
