package dev.tiledgateway.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Named figures handed from one benchmark step to the report, stored as a sorted properties file. */
public final class Results {

    private final Map<String, String> values = new TreeMap<>();

    public Results put(String key, double v) { values.put(key, Double.toString(v)); return this; }

    public Results put(String key, long v) { values.put(key, Long.toString(v)); return this; }

    public Results put(String key, String v) { values.put(key, v); return this; }

    public boolean has(String key) { return values.containsKey(key); }

    public String text(String key) { return values.get(key); }

    /** The number stored under {@code key}, or NaN when it was not measured. */
    public double num(String key) {
        String v = values.get(key);
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public void putAll(Results other) { values.putAll(other.values); }

    public void save(Path file) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, null);
        }
    }

    /** The figures in {@code file}; none when it does not exist (that step did not run). */
    public static Results load(Path file) throws IOException {
        Results r = new Results();
        if (!Files.exists(file)) return r;
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        p.forEach((k, v) -> r.values.put((String) k, (String) v));
        return r;
    }
}
