package dev.tiledgateway.indexer.detect;

import dev.tiledgateway.core.array.CorruptDataException;
import dev.tiledgateway.core.store.BlobStore;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises an object's format by its bytes: Parquet by its magic at both ends, TIFF by its byte-order
 * mark and magic number, CSV by text that splits into a consistent number of fields. The name only
 * decides what a failed check means: an object named {@code .parquet} without Parquet magic is
 * unreadable (a {@link CorruptDataException}), one named {@code .txt} is just not a format we register.
 */
public final class Sniffer {

    static final byte[] PAR1 = {'P', 'A', 'R', '1'};
    /** How much of an object CSV sniffing reads. */
    static final int CSV_HEAD = 64 * 1024;

    private Sniffer() {}

    /** The object's format; empty when it is none of ours (or the object is gone: then {@code size} said so). */
    public static Optional<Format> detect(BlobStore store, String key, long size) throws IOException {
        String lower = key.toLowerCase(Locale.ROOT);
        if (size == 0) {
            if (lower.endsWith(".parquet") || lower.endsWith(".pq") || lower.endsWith(".tif") || lower.endsWith(".tiff") || lower.endsWith(".csv"))
                throw new CorruptDataException("'" + key + "' is empty");
            return Optional.empty();
        }
        byte[] head = store.getRange(key, 0, Math.min(size, CSV_HEAD)).orElse(new byte[0]);
        if (startsWith(head, PAR1)) {
            byte[] tail = size >= 12 ? store.getRange(key, -4, 4).orElse(new byte[0]) : new byte[0];
            if (!Arrays.equals(tail, PAR1)) throw new CorruptDataException("'" + key + "' starts like Parquet but does not end with its footer (truncated?)");
            return Optional.of(Format.PARQUET);
        }
        if (lower.endsWith(".parquet") || lower.endsWith(".pq")) throw new CorruptDataException("'" + key + "' is named Parquet but is not (no PAR1 magic)");
        if (TiffHeader.isTiff(head)) return Optional.of(Format.TIFF);
        if (lower.endsWith(".tif") || lower.endsWith(".tiff")) throw new CorruptDataException("'" + key + "' is named TIFF but has no TIFF header");
        boolean complete = head.length >= size;
        if (lower.endsWith(".csv")) {
            Optional<String> why = CsvSniffer.whyNot(head, complete, true);
            if (why.isPresent()) throw new CorruptDataException("'" + key + "' is named CSV but " + why.get());
            return Optional.of(Format.CSV);
        }
        return CsvSniffer.whyNot(head, complete, false).isEmpty() ? Optional.of(Format.CSV) : Optional.empty();
    }

    private static boolean startsWith(byte[] b, byte[] magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if (b[i] != magic[i]) return false;
        return true;
    }
}
