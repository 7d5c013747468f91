package dev.tiledgateway.formats.zarr.codec;

import dev.tiledgateway.core.array.CorruptDataException;

import java.io.IOException;
import java.io.InputStream;

/** Reads a decompressing stream to its end, turning every failure into a CorruptDataException. */
final class Streams {

    private Streams() {}

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    static byte[] drain(String codec, Opener opener) throws CorruptDataException {
        try (InputStream in = opener.open()) {
            return in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException(codec + " data cannot be decoded (truncated or not " + codec + "): " + e.getMessage(), e);
        }
    }
}
