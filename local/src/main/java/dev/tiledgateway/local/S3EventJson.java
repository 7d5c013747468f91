package dev.tiledgateway.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tiledgateway.core.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * S3 event notifications as S3 writes them (Records with eventName, bucket, URL-encoded key, sequencer),
 * so local changes reach the indexer's Lambda handler in exactly the JSON it gets on AWS.
 */
final class S3EventJson {

    /** One change to one object. */
    record Change(boolean created, String key, long size, String sequencer) {}

    private S3EventJson() {}

    static byte[] of(String bucket, List<Change> changes) {
        ObjectNode event = Json.object();
        ArrayNode records = event.putArray("Records");
        for (Change c : changes) {
            ObjectNode r = records.addObject();
            r.put("eventVersion", "2.1");
            r.put("eventSource", "aws:s3");
            r.put("awsRegion", "us-east-1");
            r.put("eventTime", Instant.now().toString());
            r.put("eventName", c.created() ? "ObjectCreated:Put" : "ObjectRemoved:Delete");
            ObjectNode s3 = r.putObject("s3");
            s3.put("s3SchemaVersion", "1.0");
            s3.put("configurationId", "tiled-gateway-local");
            ObjectNode b = s3.putObject("bucket");
            b.put("name", bucket);
            b.put("arn", "arn:aws:s3:::" + bucket);
            ObjectNode o = s3.putObject("object");
            o.put("key", encodeKey(c.key()));
            if (c.created()) o.put("size", c.size());
            o.put("sequencer", c.sequencer());
        }
        return Json.bytes(event);
    }

    /** S3's key encoding in notifications: form-encoded per segment ('+' for space), slashes kept. */
    static String encodeKey(String key) {
        StringBuilder b = new StringBuilder();
        String[] parts = key.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) b.append('/');
            b.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
