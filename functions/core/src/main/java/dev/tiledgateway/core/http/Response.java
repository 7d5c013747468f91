package dev.tiledgateway.core.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A transport-neutral HTTP response; headers keep their case, cookies are separate (API Gateway v2.0 does so). */
public final class Response {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String> cookies = new ArrayList<>();
    private byte[] body;

    public Response(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
        if (contentType != null) headers.put("Content-Type", contentType);
    }

    public static Response json(int status, byte[] json) { return new Response(status, "application/json", json); }

    public static Response text(int status, String text) {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response redirect(int status, String location) {
        Response r = new Response(status, null, new byte[0]);
        r.header("Location", location);
        return r;
    }

    public int status() { return status; }

    public byte[] body() { return body; }

    public void body(byte[] b) { this.body = b; }

    public Map<String, String> headers() { return headers; }

    public String header(String name) {
        for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        return null;
    }

    public Response header(String name, String value) {
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        headers.put(name, value);
        return this;
    }

    public List<String> cookies() { return cookies; }

    public Response cookie(String setCookieValue) {
        cookies.add(setCookieValue);
        return this;
    }

    public String contentType() { return header("Content-Type"); }
}
