package dev.tiledgateway.aws.store;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

import java.time.Duration;

/**
 * How {@link S3BlobStore} moves bytes: objects above {@code multipartThreshold} go up in parts of
 * {@code partSize}, large reads come down in ranged parts of the same size, and at most
 * {@code maxBytesInFlight} of parts are on the wire at once per store.
 *
 * <p>No request has a fixed time limit whatever its size: an attempt may take {@code perAttempt} (what
 * any request needs) plus its bytes at {@code minBytesPerSecond}, the slowest rate that is still progress
 * rather than a hang, and a call (retries and backoff included) {@code perCall} plus that time for the
 * bytes of each of its {@code maxAttempts} attempts. A part shares the link with the other parts in
 * flight, so it is timed for a full budget's worth of bytes.
 */
public record S3Transfers(
        long multipartThreshold,
        int partSize,
        long maxBytesInFlight,
        Duration perAttempt,
        Duration perCall,
        long minBytesPerSecond,
        int maxAttempts) {

    public static final long DEFAULT_MULTIPART_THRESHOLD = 16L * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** Eight parts of 8 MiB: enough to fill a Lambda's link, small beside its memory. */
    public static final long DEFAULT_BYTES_IN_FLIGHT = 64L * 1024 * 1024;
    /** Far below S3's tens of MB/s per connection, and below an emulator's on a loaded 2-core machine. */
    public static final long DEFAULT_MIN_BYTES_PER_SECOND = 4L * 1024 * 1024;
    /** S3's smallest part (all but the last). */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public S3Transfers {
        if (partSize < MIN_PART_SIZE) throw new IllegalArgumentException("parts must be at least 5 MiB");
        if (multipartThreshold < partSize) throw new IllegalArgumentException("the multipart threshold must be at least one part");
        if (maxBytesInFlight < partSize) throw new IllegalArgumentException("the bytes in flight must hold at least one part");
        if (perAttempt == null || perAttempt.isNegative() || perAttempt.isZero()) throw new IllegalArgumentException("perAttempt must be positive");
        if (perCall == null || perCall.compareTo(perAttempt) < 0) throw new IllegalArgumentException("perCall must be at least perAttempt");
        if (minBytesPerSecond < 1) throw new IllegalArgumentException("minBytesPerSecond must be positive");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    /** The default sizes, with a client's time budget for requests of no size and its floor rate. */
    public static S3Transfers defaults(Duration perAttempt, Duration perCall, long minBytesPerSecond, int maxAttempts) {
        return new S3Transfers(DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, DEFAULT_BYTES_IN_FLIGHT,
                perAttempt, perCall, minBytesPerSecond, maxAttempts);
    }

    /** The same budget with other part sizes (tests use small ones). */
    public S3Transfers withParts(long threshold, int part, long inFlight) {
        return new S3Transfers(threshold, part, inFlight, perAttempt, perCall, minBytesPerSecond, maxAttempts);
    }

    /** How many parts may be on the wire at once. */
    public int parallelParts() { return (int) Math.max(1, Math.min(1024, maxBytesInFlight / partSize)); }

    /** The bytes a part is timed for: all the parts it shares the link with. */
    long partBudgetBytes() { return (long) partSize * parallelParts(); }

    /** The most bytes one request of the store moves: a single PUT just under the threshold, or a part. */
    public long largestRequestBytes() { return Math.max(multipartThreshold, partBudgetBytes()); }

    /** The time {@code bytes} take at the floor rate. */
    Duration timeFor(long bytes) {
        return Duration.ofMillis(Math.max(0, bytes) * 1000 / minBytesPerSecond);
    }

    /** The time one attempt that moves {@code bytes} may take. */
    public Duration attemptTimeout(long bytes) { return perAttempt.plus(timeFor(bytes)); }

    /** The time one call moving {@code bytes} may take: every attempt, and the backoff between them. */
    public Duration callTimeout(long bytes) { return perCall.plus(timeFor(bytes).multipliedBy(maxAttempts)); }

    /** The per-request timeouts of a request that moves {@code bytes}. */
    AwsRequestOverrideConfiguration timedFor(long bytes) {
        return AwsRequestOverrideConfiguration.builder()
                .apiCallAttemptTimeout(attemptTimeout(bytes))
                .apiCallTimeout(callTimeout(bytes))
                .build();
    }
}
