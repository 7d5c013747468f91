package dev.tiledgateway.infra;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.testkit.interop.Python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code template.yaml} as cfn-lint's own loader reads it, and as the SAM translator that ships with cfn-lint turns it
 * into CloudFormation: the two documents every test of the stack starts from.
 */
final class Template {

    static final Path FILE = Path.of("template.yaml");

    /** The functions of the template: logical id to their properties (handler, CodeUri, ...). */
    static final String[] FUNCTIONS = {"ApiFunction", "AuthorizerFunction", "IndexerFunction"};

    private Template() {}

    /** The SAM template (short-form tags resolved to their long forms). */
    static JsonNode sam() throws IOException {
        return python(dir -> new String[] {"""
                import json, sys
                from cfnlint.decode import decode
                template, matches = decode(sys.argv[1])
                if matches:
                    sys.exit(str(matches))
                with open(sys.argv[2], "w") as out:
                    json.dump(template, out, default=str)
                """, FILE.toAbsolutePath().toString(), dir.resolve("out.json").toString()});
    }

    /** The CloudFormation the SAM translator makes of it, each function's code at {@code uploaded} (CodeUri to bucket and key). */
    static JsonNode translated(Map<String, String[]> uploaded) throws IOException {
        String script;
        try (InputStream s = Template.class.getResourceAsStream("/sam_translate.py")) {
            script = new String(s.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, Object> codes = new LinkedHashMap<>();
        uploaded.forEach((uri, at) -> codes.put(uri, java.util.List.of(at[0], at[1])));
        return python(dir -> new String[] {script, FILE.toAbsolutePath().toString(), dir.resolve("out.json").toString(),
                new String(Json.bytes(Json.mapper().valueToTree(codes)), java.nio.charset.StandardCharsets.UTF_8)});
    }

    private interface Script { String[] in(Path dir); }

    private static JsonNode python(Script s) throws IOException {
        Path dir = Files.createTempDirectory("template");
        try {
            String[] a = s.in(dir);
            Python.fromEnv("CFN_LINT_PYTHON").require("cfnlint", "samtranslator").check(dir, a[0], java.util.Arrays.copyOfRange(a, 1, a.length));
            return Json.parse(Files.readAllBytes(dir.resolve("out.json")));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    /** The environment variables a function of the SAM template gets: the globals' and its own. */
    static Map<String, JsonNode> environment(JsonNode sam, String function) {
        Map<String, JsonNode> env = new TreeMap<>();
        fields(sam.at("/Globals/Function/Environment/Variables"), env);
        fields(sam.at("/Resources/" + function + "/Properties/Environment/Variables"), env);
        return env;
    }

    private static void fields(JsonNode o, Map<String, JsonNode> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            into.put(e.getKey(), e.getValue());
        }
    }

    /** The jar a function's CodeUri names, from this module's folder. */
    static Path jar(JsonNode sam, String function) {
        return Path.of(sam.at("/Resources/" + function + "/Properties/CodeUri").asText());
    }
}
