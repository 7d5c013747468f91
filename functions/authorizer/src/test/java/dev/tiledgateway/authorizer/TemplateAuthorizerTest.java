package dev.tiledgateway.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.core.json.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployable template configures the authorizer the way this module's tests assume: payload 2.0, simple
 * responses, every route behind it, no identity source and no caching (so requests without a credential, with
 * {@code ?api_key=} or with the cookie reach it), and this class as its handler in the jar this module builds.
 * The template is read by cfn-lint's own CloudFormation YAML loader (its short-form tags included).
 */
class TemplateAuthorizerTest {

    private static final Path TEMPLATE = Path.of("..", "..", "infra", "template.yaml");

    private static JsonNode template() throws IOException, InterruptedException {
        String script = "import json,sys\nfrom cfnlint.decode import decode\nt,m=decode(sys.argv[1])\n"
                + "if m: sys.exit(str(m))\nprint(json.dumps(t, default=str))\n";
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script, TEMPLATE.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return unavailable("python3 cannot be started: " + e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("reading the template took too long");
        if (p.exitValue() != 0) {
            if (err.contains("No module named")) return unavailable("cfn-lint is not installed: " + err.strip());
            throw new AssertionError("the template does not load: " + err);
        }
        return Json.parse(out);
    }

    /** Where CI runs, a missing tool fails the run (.ci/run installs it); elsewhere the check is skipped with the reason. */
    private static JsonNode unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why);
        Assumptions.abort(why);
        return null;
    }

    @Test
    void theAuthorizerAnswersEveryRequestAndCachesNothing() throws Exception {
        JsonNode t = template();
        JsonNode auth = t.at("/Resources/HttpApi/Properties/Auth");
        String name = auth.path("DefaultAuthorizer").asText();
        assertFalse(name.isEmpty(), "every route goes through the authorizer");
        JsonNode a = auth.path("Authorizers").path(name);
        assertEquals("2.0", a.path("AuthorizerPayloadFormatVersion").asText());
        assertTrue(a.path("EnableSimpleResponses").asBoolean(), "the handler answers simple responses");
        assertEquals(0, a.at("/Identity/ReauthorizeEvery").asInt(-1), "no caching");
        for (String source : new String[] {"Headers", "QueryStrings", "StageVariables", "Context"})
            assertTrue(a.path("Identity").path(source).isMissingNode(), "no identity source (" + source + "): requests without one must reach the authorizer");
        assertEquals("AuthorizerFunction", a.at("/FunctionArn/Fn::GetAtt").get(0).asText());
    }

    @Test
    void theAuthorizerFunctionIsThisHandlerInThisModulesJar() throws Exception {
        JsonNode f = template().at("/Resources/AuthorizerFunction/Properties");
        assertEquals(AuthorizerHandler.class.getName() + "::handleRequest", f.path("Handler").asText());
        String codeUri = f.path("CodeUri").asText();
        assertEquals("../functions/authorizer/target/authorizer-lambda.jar", codeUri);
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<finalName>authorizer-lambda</finalName>"), "the shade plugin writes the jar the template names");
        JsonNode env = template().at("/Globals/Function/Environment/Variables");
        assertTrue(env.has(AuthorizerHandler.PUBLIC) && env.has(AuthorizerHandler.API_KEY_SHA256) && env.has("TILED_GATEWAY_TABLE"),
                "both functions read the same settings: " + env);
    }
}
