package dev.tiledgateway.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.Map;
import java.util.TreeMap;

/** Counts SDK calls by operation and the time spent in each (retries included), for one caller at a time. */
final class SdkCalls implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("bench.started");

    private final Map<String, long[]> calls = new TreeMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        long t = System.nanoTime() - attributes.getAttribute(STARTED);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        synchronized (calls) {
            long[] c = calls.computeIfAbsent(op, k -> new long[2]);
            c[0]++;
            c[1] += t;
        }
    }

    long count(String op) {
        synchronized (calls) {
            long[] c = calls.get(op);
            return c == null ? 0 : c[0];
        }
    }

    long total() {
        synchronized (calls) {
            return calls.values().stream().mapToLong(c -> c[0]).sum();
        }
    }

    double millis(String op) {
        synchronized (calls) {
            long[] c = calls.get(op);
            return c == null ? 0 : Stats.millis(c[1]);
        }
    }

    void reset() {
        synchronized (calls) {
            calls.clear();
        }
    }

    /** e.g. {@code BatchGetItem 3, GetItem 1, Query 1}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        synchronized (calls) {
            calls.forEach((op, c) -> s.append(s.isEmpty() ? "" : ", ").append(op).append(' ').append(c[0]));
        }
        return s.toString();
    }
}
