package dev.tiledgateway.aws.store;

import dev.tiledgateway.core.store.BlobStore;
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

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BlobStore} over one S3 bucket, confined to an optional key prefix: store key {@code k} is the
 * S3 object {@code prefix + k}, and no key outside the prefix is ever read, written or listed.
 *
 * <p>Absent objects (404) read as empty. Throttling and 5xx replies are retried by the client's retry
 * strategy (see {@link dev.tiledgateway.aws.AwsClients}); what still fails is an {@link IOException}.
 * Objects above {@code multipartThreshold} are uploaded in parts and appear only when the upload
 * completes, so readers never see part of an object. The IAM role needs {@code s3:ListBucket} on the
 * bucket: without it S3 answers 403 rather than 404 for a missing key, which reads as a failure here.
 */
public final class S3BlobStore implements BlobStore {

    public static final int DEFAULT_MULTIPART_THRESHOLD = 16 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** S3 refuses presigned URLs valid for longer than 7 days. */
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final int multipartThreshold;
    private final int partSize;
    private int listPageSize = 1000;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
        this(s3, presigner, bucket, prefix, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE);
    }

    /**
     * @param presigner may be null: the store then hands out no URLs
     * @param prefix    "" or null for the whole bucket, else a key prefix ending in '/'
     * @param partSize  at least 5 MiB, S3's minimum for all but the last part
     */
    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix, int multipartThreshold, int partSize) {
        if (bucket == null || bucket.isBlank()) throw new IllegalArgumentException("a bucket is required");
        String p = prefix == null ? "" : prefix;
        if (p.startsWith("/")) p = p.substring(1);
        if (!p.isEmpty() && !p.endsWith("/")) p = p + "/";
        if (!p.isEmpty()) checkKey(p.substring(0, p.length() - 1));
        if (partSize < 5 * 1024 * 1024) throw new IllegalArgumentException("parts must be at least 5 MiB");
        if (multipartThreshold < partSize) throw new IllegalArgumentException("the multipart threshold must be at least one part");
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = p;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
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
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(k));
            return Optional.of(r.asByteArray());
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            throw failure("GET", k, e);
        }
    }

    @Override
    public Optional<byte[]> getRange(String key, long offset, long length) throws IOException {
        String k = objectKey(key);
        if (offset >= 0 && length <= 0) return size(key).map(s -> new byte[0]);
        String range = offset < 0
                ? "bytes=" + offset // "bytes=-N": the last N bytes
                : "bytes=" + offset + "-" + saturatedEnd(offset, length);
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(k).range(range));
            byte[] bytes = r.asByteArray();
            // A server that ignores Range answers 200 with the whole object; cut it here.
            if (r.response().contentRange() == null && bytes.length > 0) return Optional.of(slice(bytes, offset, length));
            return Optional.of(bytes);
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            // 416: the range starts at or after the end (or the object is empty): the object exists, no bytes.
            if (e instanceof AwsServiceException ase && ase.statusCode() == 416) return Optional.of(new byte[0]);
            throw failure("GET range of", k, e);
        }
    }

    private static long saturatedEnd(long offset, long length) {
        long end = offset + length - 1;
        return end < offset ? Long.MAX_VALUE : end;
    }

    private static byte[] slice(byte[] whole, long offset, long length) {
        long start = offset < 0 ? Math.max(0, whole.length + offset) : Math.min(offset, whole.length);
        long end = offset < 0 ? whole.length : Math.min(whole.length, start + length);
        return Arrays.copyOfRange(whole, (int) start, (int) end);
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        String k = objectKey(key);
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(k));
            return Optional.of(r.contentLength());
        } catch (SdkException e) {
            if (isMissingKey(e)) return Optional.empty();
            throw failure("HEAD", k, e);
        }
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        String k = objectKey(key);
        try {
            if (bytes.length > multipartThreshold) putMultipart(k, bytes);
            else s3.putObject(b -> b.bucket(bucket).key(k).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("PUT", k, e);
        }
    }

    /** Parts first, then one CompleteMultipartUpload that makes the object appear whole; aborted on failure. */
    private void putMultipart(String k, byte[] bytes) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(k)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, n = 1; offset < bytes.length; offset += partSize, n++) {
                int len = Math.min(partSize, bytes.length - offset);
                int partNumber = n;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(k).uploadId(uploadId).partNumber(partNumber).contentLength((long) len),
                        RequestBody.fromBytes(Arrays.copyOfRange(bytes, offset, offset + len))).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (SdkException | IllegalStateException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(k).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort); // a lifecycle rule for incomplete uploads cleans up what is left
            }
            throw e;
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String k = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(k));
        } catch (SdkException e) {
            if (isMissingKey(e)) return;
            throw failure("DELETE", k, e);
        }
    }

    @Override
    public List<String> list(String keyPrefix) throws IOException {
        if (keyPrefix.startsWith("/")) throw new IllegalArgumentException("invalid prefix: " + keyPrefix);
        String full = prefix + keyPrefix;
        List<String> keys = new ArrayList<>();
        try {
            String token = null;
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).maxKeys(listPageSize);
                if (!full.isEmpty()) req.prefix(full);
                if (token != null) req.continuationToken(token);
                ListObjectsV2Response r = s3.listObjectsV2(req.build());
                for (S3Object o : r.contents()) {
                    // S3 only returns keys under the requested prefix; the check keeps that a guarantee.
                    if (o.key().startsWith(full)) keys.add(o.key().substring(prefix.length()));
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("LIST", full, e);
        }
        // S3 lists in UTF-8 byte order; the port promises String order, which differs only above U+FFFF.
        keys.sort(null);
        return keys;
    }

    @Override
    public Optional<URI> presignGet(String key, Duration ttl) {
        if (presigner == null) return Optional.empty();
        String k = objectKey(key);
        Duration d = ttl.compareTo(MAX_PRESIGN) > 0 ? MAX_PRESIGN : ttl;
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(d).getObjectRequest(g -> g.bucket(bucket).key(k)))
                    .url().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the presigner produced an invalid URL", e);
        }
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
}
