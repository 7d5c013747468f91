package dev.tiledgateway.aws.store;

import dev.tiledgateway.aws.AwsClients;
import dev.tiledgateway.core.error.Causes;
import dev.tiledgateway.core.store.BlobStore;
import dev.tiledgateway.core.store.BlobWriter;
import dev.tiledgateway.core.store.ByteRange;
import dev.tiledgateway.core.store.ObjectVersion;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link BlobStore} over one S3 bucket, confined to an optional key prefix: store key {@code k} is the
 * S3 object {@code prefix + k}, and no key outside the prefix is ever read, written or listed.
 *
 * <p>Absent objects (404) read as empty. Throttling and 5xx replies are retried by the client's retry
 * strategy (see {@link dev.tiledgateway.aws.AwsClients}); what still fails is an {@link IOException}.
 * Large objects move in parts ({@link S3Transfers}): uploads above the threshold are multipart uploads that
 * appear only when complete, so readers never see part of an object; large reads are ranged GETs of the
 * same version. Every request is timed for the bytes it moves. The IAM role needs {@code s3:ListBucket}
 * on the bucket: without it S3 answers 403 rather than 404 for a missing key, which reads as a failure here.
 */
public final class S3BlobStore implements BlobStore {

    /** S3 refuses presigned URLs valid for longer than 7 days. */
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);
    /** The largest Java array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The client, built on first use ({@link #opening}), so that a cold start that reads no data builds none. */
    private final Once<S3Client> s3;
    /** Null: the store hands out no URLs. */
    private final Once<S3Presigner> presigner;
    private final String bucket;
    private final String prefix;
    private final S3Transfers transfers;
    /** Parts on the wire, across all transfers of this store: the byte budget in units of parts. */
    private final Semaphore inFlight;
    /** Parts wait on the network, not on the CPU: a virtual thread each. */
    private final ExecutorService partRunner = Executors.newVirtualThreadPerTaskExecutor();
    private int listPageSize = 1000;

    /** A store with the default transfer settings and the default client budget (see AwsClients). */
    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
        this(s3, presigner, bucket, prefix, S3Transfers.defaults(AwsClients.ATTEMPT_TIMEOUT, AwsClients.CALL_TIMEOUT,
                S3Transfers.DEFAULT_MIN_BYTES_PER_SECOND, AwsClients.MAX_ATTEMPTS));
    }

    /**
     * @param presigner may be null: the store then hands out no URLs
     * @param prefix    "" or null for the whole bucket, else a key prefix ending in '/'
     * @param transfers part sizes, parallelism and the time budget of requests by their bytes
     */
    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix, S3Transfers transfers) {
        this(new Once<>(() -> s3), presigner == null ? null : new Once<>(() -> presigner), bucket, prefix, transfers);
    }

    /**
     * A store whose client and presigner are built when a request first needs them, not now: building an S3 client
     * loads several hundred classes of the SDK's S3 module (its interceptors, endpoint rules and request models),
     * which a Lambda function's cold start would otherwise pay before answering requests that read no object (the
     * root's metadata, a search). A client that cannot be built fails the request that needs it.
     *
     * @param presigner may be null: the store then hands out no URLs
     */
    public static S3BlobStore opening(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, String prefix,
                                      S3Transfers transfers) {
        return new S3BlobStore(new Once<>(s3), presigner == null ? null : new Once<>(presigner), bucket, prefix, transfers);
    }

    private S3BlobStore(Once<S3Client> s3, Once<S3Presigner> presigner, String bucket, String prefix, S3Transfers transfers) {
        if (bucket == null || bucket.isBlank()) throw new IllegalArgumentException("a bucket is required");
        String p = prefix == null ? "" : prefix;
        if (p.startsWith("/")) p = p.substring(1);
        if (!p.isEmpty() && !p.endsWith("/")) p = p + "/";
        if (!p.isEmpty()) checkKey(p.substring(0, p.length() - 1));
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = p;
        this.transfers = transfers;
        this.inFlight = new Semaphore(transfers.parallelParts());
    }

    /** Keys per ListObjectsV2 reply (S3's maximum is 1000); tests lower it to exercise continuation. */
    void listPageSize(int n) { this.listPageSize = n; }

    public String bucket() { return bucket; }

    public String prefix() { return prefix; }

    /**
     * The S3 key holding store key {@code key}. Refuses keys that are empty, absolute, or hold empty,
     * "." or ".." segments: S3 keys are flat strings, but a presigned URL with dot segments may be
     * normalised by an HTTP client or proxy into a key outside the prefix.
     */
    public String objectKey(String key) {
        checkKey(key);
        return prefix + key;
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.indexOf('\\') >= 0) throw new IllegalArgumentException("invalid key: " + key);
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) throw new IllegalArgumentException("invalid key: " + key);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        String k = objectKey(key);
        try {
            return read(k, 0, Long.MAX_VALUE, true);
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            // 416 to "bytes=0-...": the object is empty (S3 has no range of nothing); read it plainly.
            if (isStatus(e, 416)) return Optional.of(getWhole(k));
            throw failure("GET", k, e);
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
        String k = objectKey(key);
        if (offset >= 0 && length <= 0) return size(key).map(s -> new byte[0]);
        try {
            if (offset >= 0) return read(k, offset, saturatedEnd(offset, length), true);
            // "bytes=-N": the last N bytes, in one request (footers and trailers, never large).
            ResponseBytes<GetObjectResponse> r = s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(k).range("bytes=" + offset)
                    .overrideConfiguration(transfers.timedFor(-offset)));
            byte[] bytes = r.asByteArray();
            // A server that ignores Range answers 200 with the whole object; cut it here.
            if (r.response().contentRange() == null && bytes.length > 0) return Optional.of(BlobStore.range(bytes, offset, length));
            return Optional.of(bytes);
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            // 416: the range starts at or after the end (or the object is empty): the object exists, no bytes.
            if (isStatus(e, 416)) return Optional.of(new byte[0]);
            throw failure("GET range of", k, e);
        }
    }

    /**
     * One ranged GET per range (ranges longer than a part are cut into parts), the first alone to learn the object's
     * size and ETag, the rest concurrently within the store's budget of parts in flight and pinned to that ETag, so
     * every range comes from one version of the object.
     */
    @Override
    public Optional<List<byte[]>> getRanges(String key, List<ByteRange> ranges) throws IOException {
        String k = objectKey(key);
        if (ranges.stream().allMatch(r -> r.length() == 0)) return size(key).map(s -> ranges.stream().map(r -> new byte[0]).toList());
        try {
            return readRanges(k, ranges, true);
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            // 416: the first range starts at or after the end; the plain reads answer that case range by range.
            if (isStatus(e, 416)) return BlobStore.super.getRanges(key, ranges);
            throw failure("GET ranges of", k, e);
        }
    }

    private Optional<List<byte[]>> readRanges(String k, List<ByteRange> ranges, boolean mayRetry) throws IOException {
        int part = transfers.partSize();
        List<long[]> pieces = new ArrayList<>(); // {range index, from, to}
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange r = ranges.get(i);
            for (long s = r.offset(); s < r.end(); s += part) pieces.add(new long[] {i, s, Math.min(r.end(), s + part)});
        }
        long[] p0 = pieces.get(0);
        ResponseBytes<GetObjectResponse> first = s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(k).range(range(p0[1], p0[2]))
                .overrideConfiguration(transfers.timedFor(p0[2] - p0[1])));
        String contentRange = first.response().contentRange();
        if (contentRange == null) { // the server ignored Range and sent the whole object
            byte[] whole = first.asByteArray();
            return Optional.of(ranges.stream().map(r -> BlobStore.range(whole, r.offset(), r.length())).toList());
        }
        long total = totalOf(contentRange, k);
        byte[][] out = new byte[ranges.size()][];
        for (int i = 0; i < out.length; i++) {
            ByteRange r = ranges.get(i);
            out[i] = new byte[(int) Math.max(0, Math.min(total, r.end()) - Math.min(total, r.offset()))];
        }
        byte[] head = first.asByteArray();
        System.arraycopy(head, 0, out[(int) p0[0]], (int) (p0[1] - ranges.get((int) p0[0]).offset()),
                Math.min(head.length, out[(int) p0[0]].length));
        String etag = first.response().eTag();
        List<Callable<Void>> rest = new ArrayList<>();
        for (long[] p : pieces.subList(1, pieces.size())) {
            int i = (int) p[0];
            long s = p[1], e = Math.min(p[2], total), base = ranges.get(i).offset();
            if (s >= e) continue;
            rest.add(() -> {
                byte[] b = s3.get().getObjectAsBytes(g -> g.bucket(bucket).key(k).range(range(s, e)).ifMatch(etag)
                        .overrideConfiguration(transfers.timedFor(e - s))).asByteArray();
                if (b.length != e - s) throw new IOException("s3://" + bucket + "/" + k + " ended early: " + b.length + " of " + (e - s) + " bytes at " + s);
                System.arraycopy(b, 0, out[i], (int) (s - base), b.length);
                return null;
            });
        }
        try {
            runParts(rest);
        } catch (SdkException e) {
            // 412: the object changed after the first range; a fresh read sees the new object.
            if (mayRetry && isStatus(e, 412)) return readRanges(k, ranges, false);
            throw e;
        }
        return Optional.of(java.util.Arrays.asList(out));
    }

    /** The exclusive end of {@code length} bytes from {@code offset}, saturated. */
    private static long saturatedEnd(long offset, long length) {
        long end = offset + length;
        return end < offset ? Long.MAX_VALUE : end;
    }

    private byte[] getWhole(String k) {
        return s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(k).overrideConfiguration(transfers.timedFor(transfers.partSize()))).asByteArray();
    }

    /**
     * Bytes {@code [from, to)} of an object, cut at its end: the first part tells the object's size and ETag,
     * the other parts follow in parallel, each a ranged GET timed for its own bytes and conditional on that
     * ETag, so that an object replaced meanwhile is read again rather than stitched from two versions.
     */
    private Optional<byte[]> read(String k, long from, long to, boolean mayRetry) throws IOException {
        int part = transfers.partSize();
        long firstEnd = Math.min(to, from + part);
        ResponseBytes<GetObjectResponse> first = s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(k).range(range(from, firstEnd))
                .overrideConfiguration(transfers.timedFor(firstEnd - from)));
        byte[] head = first.asByteArray();
        String contentRange = first.response().contentRange();
        if (contentRange == null) return Optional.of(BlobStore.range(head, from, to - from)); // the server ignored Range
        long end = Math.min(to, totalOf(contentRange, k));
        if (end - from <= head.length) return Optional.of(head);
        if (end - from > MAX_ARRAY) throw new IOException("s3://" + bucket + "/" + k + ": " + (end - from) + " bytes do not fit in one read");
        byte[] out = new byte[(int) (end - from)];
        System.arraycopy(head, 0, out, 0, head.length);
        String etag = first.response().eTag();
        List<Callable<Void>> rest = new ArrayList<>();
        for (long start = from + head.length; start < end; start += part) {
            long s = start, e = Math.min(end, start + part);
            rest.add(() -> {
                byte[] b = s3.get().getObjectAsBytes(g -> g.bucket(bucket).key(k).range(range(s, e)).ifMatch(etag)
                        .overrideConfiguration(transfers.timedFor(transfers.partBudgetBytes()))).asByteArray();
                if (b.length != e - s) throw new IOException("s3://" + bucket + "/" + k + " ended early: " + b.length + " of " + (e - s) + " bytes at " + s);
                System.arraycopy(b, 0, out, (int) (s - from), b.length);
                return null;
            });
        }
        try {
            runParts(rest);
        } catch (SdkException e) {
            // 412: the object changed after the first part; a fresh read sees the new object whole.
            if (mayRetry && isStatus(e, 412)) return read(k, from, to, false);
            throw e;
        }
        return Optional.of(out);
    }

    private static String range(long from, long toExclusive) { return "bytes=" + from + "-" + (toExclusive - 1); }

    /** The object size in a Content-Range reply ("bytes 0-99/1234"). */
    private long totalOf(String contentRange, String k) throws IOException {
        int slash = contentRange.lastIndexOf('/');
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IOException("s3://" + bucket + "/" + k + ": unreadable Content-Range " + contentRange, e);
        }
    }

    /**
     * Runs the parts of one transfer, at most the store's parallel parts at once across all its transfers;
     * stops starting parts at the first failure and returns only when every started part has ended, so
     * nothing of a failed transfer is still on the wire (an abort after that cannot be overtaken by a part).
     */
    private void runParts(List<Callable<Void>> tasks) throws IOException {
        Parts parts = new Parts();
        try {
            for (Callable<Void> task : tasks) {
                if (parts.failed()) break;
                parts.start(task);
            }
        } finally {
            parts.await();
        }
        parts.throwFailure();
    }

    /**
     * The parts of one transfer on the wire. Each waits for room in the store's budget of parts in flight
     * before it starts (so a producer of parts is held back rather than buffering ahead); after the first
     * failure no more start.
     */
    private final class Parts {
        private final List<Future<Void>> started = new ArrayList<>();
        private final AtomicReference<Throwable> failed = new AtomicReference<>();

        boolean failed() { return failed.get() != null; }

        /** Starts {@code task} once the budget has room; does nothing once a part has failed. */
        void start(Callable<Void> task) {
            if (failed()) return;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.compareAndSet(null, new InterruptedIOException("interrupted while starting transfer parts"));
                return;
            }
            try {
                started.add(partRunner.submit(() -> {
                    try {
                        return task.call();
                    } catch (Throwable t) {
                        failed.compareAndSet(null, t);
                        throw t;
                    } finally {
                        inFlight.release();
                    }
                }));
            } catch (RuntimeException rejected) {
                inFlight.release();
                throw rejected;
            }
        }

        /** Returns once every started part has ended. */
        void await() {
            awaitAll(started);
            started.clear();
        }

        /** The first failure of a part, as it was thrown. */
        void throwFailure() throws IOException {
            Throwable t = failed.get();
            if (t == null) return;
            throw Causes.rethrow(t); // an SdkException as it was thrown
        }
    }

    /** Waits for every part, even when interrupted (the flag is kept): a part's own timeouts bound the wait. */
    private static void awaitAll(List<Future<Void>> started) {
        boolean interrupted = false;
        for (Future<Void> f : started) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break; // recorded by the part itself
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        String k = objectKey(key);
        try {
            HeadObjectResponse r = s3.get().headObject(b -> b.bucket(bucket).key(k));
            return Optional.of(r.contentLength());
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            throw failure("HEAD", k, e);
        }
    }

    /** HEAD: the ETag, and the version id where the bucket keeps versions. */
    @Override
    public Optional<ObjectVersion> version(String key) throws IOException {
        String k = objectKey(key);
        try {
            HeadObjectResponse r = s3.get().headObject(b -> b.bucket(bucket).key(k));
            String tag = r.eTag() + (r.versionId() == null || r.versionId().equals("null") ? "" : "@" + r.versionId());
            return Optional.of(new ObjectVersion(key, r.contentLength(), tag));
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            throw failure("HEAD", k, e);
        }
    }

    /** The listing's ETags and sizes: one request per thousand objects, none per object. */
    @Override
    public List<ObjectVersion> versions(String keyPrefix) throws IOException {
        List<ObjectVersion> out = new ArrayList<>();
        for (S3Object o : listObjects(keyPrefix)) out.add(new ObjectVersion(o.key().substring(prefix.length()), o.size(), o.eTag()));
        out.sort(java.util.Comparator.comparing(ObjectVersion::key));
        return out;
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        String k = objectKey(key);
        try {
            if (bytes.length > transfers.multipartThreshold()) putMultipart(k, bytes);
            else s3.get().putObject(b -> b.bucket(bucket).key(k).contentLength((long) bytes.length).overrideConfiguration(transfers.timedFor(bytes.length)),
                    body(bytes, 0, bytes.length));
        } catch (SdkException e) {
            throw failure("PUT", k, e);
        }
    }

    /** The bytes of a request, read in place (no copy) as often as the SDK needs them: signing, retries. */
    private static RequestBody body(byte[] bytes, int offset, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, offset, length), length, "application/octet-stream");
    }

    /**
     * Parts in parallel, then one CompleteMultipartUpload that makes the object appear whole. Any failure
     * (a part out of retries, a timeout, an interrupt) aborts the upload once no part is on the wire, so no
     * abandoned upload keeps its parts (a lifecycle rule on incomplete uploads is the backstop).
     */
    private void putMultipart(String k, byte[] bytes) throws IOException {
        String uploadId = s3.get().createMultipartUpload(b -> b.bucket(bucket).key(k)).uploadId();
        try {
            int part = transfers.partSize();
            int count = (int) ((bytes.length + (long) part - 1) / part);
            CompletedPart[] done = new CompletedPart[count];
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i + 1, offset = i * part, len = Math.min(part, bytes.length - offset);
                tasks.add(() -> {
                    String etag = s3.get().uploadPart(b -> b.bucket(bucket).key(k).uploadId(uploadId).partNumber(n).contentLength((long) len)
                            .overrideConfiguration(transfers.timedFor(transfers.partBudgetBytes())), body(bytes, offset, len)).eTag();
                    done[n - 1] = CompletedPart.builder().partNumber(n).eTag(etag).build();
                    return null;
                });
            }
            runParts(tasks);
            // S3 (and an emulator) assembles the object before it answers: time it for the whole object.
            s3.get().completeMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(done))
                    .overrideConfiguration(transfers.timedFor(bytes.length)));
        } catch (IOException | RuntimeException | Error e) {
            try {
                s3.get().abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /**
     * A streamed write: up to the multipart threshold the bytes are gathered and sent in one PUT on commit;
     * beyond it a multipart upload starts and each part goes up as soon as it is full, within the store's
     * budget of parts in flight (a producer faster than the link waits for room), so the writer holds at most
     * the threshold plus one part of its own. Commit completes the upload and the object appears whole;
     * a failed part surfaces at the next write or at commit, and abandoning the write aborts the upload once
     * none of its parts is on the wire.
     */
    @Override
    public BlobWriter openWrite(String key) throws IOException {
        return new StreamedUpload(objectKey(key));
    }

    private final class StreamedUpload extends BlobWriter {
        private final String k;
        private final int partSize = transfers.partSize();
        /** Full parts gathered before the upload has started. */
        private final List<byte[]> held = new ArrayList<>();
        private final Map<Integer, CompletedPart> done = new ConcurrentSkipListMap<>();
        private final Parts parts = new Parts();
        private byte[] current;
        private int filled;
        private long total;
        private String uploadId;
        private int nextPart = 1;

        StreamedUpload(String k) { this.k = k; }

        @Override
        protected void append(byte[] b, int off, int len) throws IOException {
            try {
                while (len > 0) {
                    if (current == null) {
                        current = new byte[partSize];
                        filled = 0;
                    }
                    int n = Math.min(len, partSize - filled);
                    System.arraycopy(b, off, current, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    total += n;
                    if (filled == partSize) {
                        if (uploadId == null) held.add(current);
                        else send(current, partSize);
                        current = null;
                    }
                }
                if (uploadId == null && total > transfers.multipartThreshold()) {
                    uploadId = s3.get().createMultipartUpload(b2 -> b2.bucket(bucket).key(k)).uploadId();
                    for (byte[] part : held) send(part, partSize);
                    held.clear();
                }
            } catch (SdkException e) {
                throw failure("PUT (streamed)", k, e);
            }
        }

        /** Starts the upload of the next part, after waiting for room; throws a part's failure as soon as it is known. */
        private void send(byte[] bytes, int len) throws IOException {
            int n = nextPart++;
            parts.start(() -> {
                String etag = s3.get().uploadPart(b -> b.bucket(bucket).key(k).uploadId(uploadId).partNumber(n).contentLength((long) len)
                        .overrideConfiguration(transfers.timedFor(transfers.partBudgetBytes())), body(bytes, 0, len)).eTag();
                done.put(n, CompletedPart.builder().partNumber(n).eTag(etag).build());
                return null;
            });
            if (parts.failed()) {
                parts.await();
                parts.throwFailure();
            }
        }

        @Override
        protected void store() throws IOException {
            try {
                if (uploadId == null) {
                    byte[] whole = new byte[(int) total];
                    int at = 0;
                    for (byte[] part : held) {
                        System.arraycopy(part, 0, whole, at, part.length);
                        at += part.length;
                    }
                    if (current != null) System.arraycopy(current, 0, whole, at, filled);
                    held.clear();
                    current = null;
                    s3.get().putObject(b -> b.bucket(bucket).key(k).contentLength((long) whole.length).overrideConfiguration(transfers.timedFor(whole.length)),
                            body(whole, 0, whole.length));
                    return;
                }
                if (current != null && filled > 0) send(current, filled);
                current = null;
                parts.await();
                parts.throwFailure();
                List<CompletedPart> all = List.copyOf(done.values());
                s3.get().completeMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(all))
                        .overrideConfiguration(transfers.timedFor(total)));
            } catch (SdkException e) {
                IOException io = failure("PUT (streamed)", k, e);
                abortQuietly(io);
                throw io;
            } catch (IOException | RuntimeException | Error e) {
                abortQuietly(e);
                throw e;
            }
        }

        @Override
        protected void abandon() throws IOException {
            held.clear();
            current = null;
            if (uploadId == null) return;
            parts.await();
            try {
                s3.get().abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
            } catch (SdkException e) {
                throw failure("abort of the multipart upload of", k, e);
            }
        }

        private void abortQuietly(Throwable cause) {
            if (uploadId == null) return;
            parts.await();
            try {
                s3.get().abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
            } catch (SdkException abort) {
                cause.addSuppressed(abort);
            }
        }
    }

    /** A server-side CopyObject: the bytes never pass through this function (objects up to CopyObject's 5 GB). */
    @Override
    public boolean copy(String from, String to) throws IOException {
        String source = objectKey(from), target = objectKey(to);
        try {
            s3.get().copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket).destinationKey(target));
            return true;
        } catch (SdkException e) {
            if (isMissingKey(e)) return false;
            throw failure("COPY", source, e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String k = objectKey(key);
        try {
            s3.get().deleteObject(b -> b.bucket(bucket).key(k));
        } catch (SdkException e) {
            if (isMissingKey(e)) return;
            throw failure("DELETE", k, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        for (S3Object o : listObjects(keyPrefix)) keys.add(o.key().substring(prefix.length()));
        // S3 lists in UTF-8 byte order; the port promises String order, which differs only above U+FFFF.
        keys.sort(null);
        return keys;
    }

    private List<S3Object> listObjects(String keyPrefix) throws IOException {
        if (keyPrefix.startsWith("/")) throw new IllegalArgumentException("invalid prefix: " + keyPrefix);
        String full = prefix + keyPrefix;
        List<S3Object> objects = new ArrayList<>();
        try {
            String token = null;
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).maxKeys(listPageSize);
                if (!full.isEmpty()) req.prefix(full);
                if (token != null) req.continuationToken(token);
                ListObjectsV2Response r = s3.get().listObjectsV2(req.build());
                for (S3Object o : r.contents()) {
                    // S3 only returns keys under the requested prefix; the check keeps that a guarantee.
                    if (o.key().startsWith(full)) objects.add(o);
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("LIST", full, e);
        }
        return objects;
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        if (presigner == null) return Optional.empty();
        S3Presigner signer = presigner.get();
        String k = objectKey(key);
        Duration d = ttl.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : ttl;
        try {
            return Optional.of(signer.presignGetObject(p -> p.signatureDuration(d).getObjectRequest(g -> g.bucket(bucket).key(k)))
                    .url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the presigner produced an invalid URL", e);
        }
    }

    private static boolean isStatus(SdkException e, int status) {
        return e instanceof AwsServiceException ase && ase.statusCode() == status;
    }

    private static boolean isMissingKey(SdkException e) {
        if (!(e instanceof AwsServiceException ase) || ase.statusCode() != 404) return false;
        String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
        // A missing bucket is a misconfiguration, not an absent object; HEAD replies carry no code at all.
        return code == null || !code.equals("NoSuchBucket");
    }

    private IOException failure(String what, String key, SdkException e) {
        String status = e instanceof S3Exception se ? " (HTTP " + se.statusCode() + ")" : "";
        return new IOException("S3 " + what + " s3://" + bucket + "/" + key + " failed" + status + ": " + e.getMessage(), e);
    }

    /** {@code s3://<this bucket>/<prefix><key>}; anything in another bucket or outside the prefix is not ours to read. */
    @Override
    public Optional<String> keyOf(java.net.URI dataUri) {
        if (!"s3".equalsIgnoreCase(dataUri.getScheme()) || !bucket.equals(dataUri.getHost())) return Optional.empty();
        String path = dataUri.getPath() == null ? "" : dataUri.getPath();
        while (path.startsWith("/")) path = path.substring(1);
        if (!path.startsWith(prefix) || path.length() == prefix.length()) return Optional.empty();
        return Optional.of(path.substring(prefix.length()));
    }

    @Override
    public java.net.URI uriOf(String key) { return java.net.URI.create("s3://" + bucket + "/" + prefix + key); }

    /** A value built by its supplier on the first {@link #get}, once, whichever thread asks first. */
    private static final class Once<T> {
        private final Supplier<T> source;
        private volatile T value;

        Once(Supplier<T> source) { this.source = java.util.Objects.requireNonNull(source); }

        T get() {
            T v = value;
            if (v != null) return v;
            synchronized (this) {
                if (value == null) value = java.util.Objects.requireNonNull(source.get(), "the supplier gave no client");
                return value;
            }
        }
    }
}
