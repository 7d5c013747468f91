package dev.tiledgateway.core.sparse;

/**
 * Reads the COO table a client uploads for a sparse array (spec §3.6): integer columns {@code dim0..dim{n-1}} and a
 * {@code data} column, other columns (pandas' index) ignored. The format lives outside core (Arrow); found with
 * {@link java.util.ServiceLoader}.
 */
public interface CooDecoder {

    /** The media type of the bodies it reads, e.g. {@code application/vnd.apache.arrow.file}. */
    String mediaType();

    /**
     * The coordinates (as sent, not yet checked against any shape) and values of {@code body}; the payload's
     * {@code shape} is null.
     *
     * @throws dev.tiledgateway.core.error.TiledException 422 when the body is not such a table
     */
    SparsePayload decode(byte[] body, int ndim);
}
