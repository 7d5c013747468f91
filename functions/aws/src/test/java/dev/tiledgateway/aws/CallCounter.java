package dev.tiledgateway.aws;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts SDK calls by operation, and the items that Query calls return, so tests can pin request economy. */
public final class CallCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong queriedItems = new AtomicLong();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse r = context.response();
        if (r instanceof QueryResponse q) queriedItems.addAndGet(q.count());
    }

    public long calls(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Every operation called since the last {@link #reset}, with its count, by name. */
    public Map<String, Long> byOperation() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public long total() { return calls.values().stream().mapToLong(AtomicLong::get).sum(); }

    /** Items returned by all Query calls (index entries or table items). */
    public long queriedItems() { return queriedItems.get(); }

    public void reset() {
        calls.clear();
        queriedItems.set(0);
    }

    @Override
    public String toString() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m + ", items queried " + queriedItems.get();
    }
}
