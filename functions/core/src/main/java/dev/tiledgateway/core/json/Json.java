package dev.tiledgateway.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator only.
 *
 * <p>An {@code ObjectMapper} is not built for this: constructing one and binding its first tree loads several hundred
 * classes, which a Lambda cold start pays before its first answer (a JVM that only parsed and wrote one small tree
 * took 2-3 times longer with a mapper than with the streaming API). The trees are the same as a default mapper's
 * {@code readTree} gives: integers as the smallest of int, long and BigInteger nodes, other numbers as doubles, the
 * last of repeated members kept, anything after the first value ignored, and no content read as a missing node. They
 * are written as a default mapper writes them.
 */
public final class Json {

    /** The parser and generator factory of every JSON document core reads or writes (Jackson's defaults). */
    public static final JsonFactory FACTORY = new JsonFactory();
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() { return NODES.objectNode(); }

    public static ArrayNode array() { return NODES.arrayNode(); }

    public static NullNode nullNode() { return NullNode.getInstance(); }

    /** The tree as compact UTF-8 JSON. */
    public static byte[] bytes(JsonNode n) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(FACTORY._getBufferRecycler())) {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                write(g, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree as compact JSON text (what {@link JsonNode#toString()} gives, without building a mapper for it). */
    public static String text(JsonNode n) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** Writes the tree as a default mapper would; a node holding a Java object (a POJO node) is refused. */
    public static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode c : n) write(g, c);
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case BINARY -> g.writeBinary(n.binaryValue());
            case POJO -> throw new IllegalArgumentException("a JSON tree holds a Java object, which is not written as JSON here");
        }
    }

    /** The first JSON value of the bytes (a missing node when there is none). */
    public static JsonNode parse(byte[] b) throws IOException {
        try (JsonParser p = FACTORY.createParser(b)) {
            return first(p);
        }
    }

    public static JsonNode parse(String s) throws IOException {
        try (JsonParser p = FACTORY.createParser(s)) {
            return first(p);
        }
    }

    /** The first value {@code p} reads (a missing node when there is none); what follows it is not read. */
    public static JsonNode first(JsonParser p) throws IOException {
        return p.nextToken() == null ? MissingNode.getInstance() : tree(p);
    }

    /** One value and nothing after it but whitespace: {@code 1 2} is refused. */
    public static JsonNode parseOnly(JsonParser p) throws IOException {
        JsonNode n = first(p);
        if (n.isMissingNode()) return n;
        JsonToken after = p.nextToken();
        if (after != null) throw new JsonParseException(p, "Trailing token (of type " + after + ") found after value");
        return n;
    }

    /** The value whose first token {@code p} is on; {@code p} is left on its last token. */
    public static JsonNode tree(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new JsonParseException(p, "No content where a JSON value was expected");
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, tree(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) a.add(tree(p));
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonParseException(p, "Unexpected token " + t + " where a JSON value was expected");
        };
    }

    /**
     * A mapper, built on first use, for the few callers that bind Java objects (JSONPath's provider, tools): never
     * on the path of a request that only reads and writes trees.
     */
    public static ObjectMapper mapper() { return Mapper.INSTANCE; }

    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
