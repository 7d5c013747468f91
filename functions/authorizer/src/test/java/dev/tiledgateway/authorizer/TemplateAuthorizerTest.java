package dev.tiledgateway.authorizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tiledgateway.aws.ServerKeySecret;
import dev.tiledgateway.core.json.Json;
import dev.tiledgateway.testkit.interop.Interop;
import dev.tiledgateway.testkit.interop.Python;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deployable template configures the authorizer the way this module's tests assume: payload 2.0, simple
 * responses, every route behind it, no identity source and no caching (so requests without a credential, with
 * {@code ?api_key=} or with the cookie reach it), and this class as its handler in the jar this module builds.
 * The template is read by cfn-lint's own CloudFormation YAML loader (its short-form tags included).
 */
@Interop
class TemplateAuthorizerTest {

    private static final Path TEMPLATE = Path.of("..", "..", "infra", "template.yaml");

    private static JsonNode template() throws IOException {
        Path dir = Files.createTempDirectory("template");
        try {
            Python.fromEnv("CFN_LINT_PYTHON").require("cfnlint").check(dir, """
                    import json, sys
                    from cfnlint.decode import decode
                    template, matches = decode(sys.argv[1])
                    if matches:
                        sys.exit(str(matches))
                    with open(sys.argv[2], "w") as out:
                        json.dump(template, out, default=str)
                    """, TEMPLATE.toAbsolutePath().toString(), dir.resolve("template.json").toString());
            return Json.parse(Files.readAllBytes(dir.resolve("template.json")));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
            Files.delete(dir);
        }
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
        // the published version behind the alias, which starts from its SnapStart snapshot (AuthorizerHandler's hooks)
        assertEquals("AuthorizerFunction.Alias", a.at("/FunctionArn/Ref").asText());
        JsonNode f = t.at("/Resources/AuthorizerFunction/Properties");
        assertEquals("PublishedVersions", f.at("/SnapStart/ApplyOn").asText());
        assertFalse(f.path("AutoPublishAlias").asText().isEmpty());
    }

    @Test
    void theAuthorizerFunctionIsThisHandlerInThisModulesJar() throws Exception {
        JsonNode t = template();
        JsonNode f = t.at("/Resources/AuthorizerFunction/Properties");
        assertEquals(AuthorizerHandler.class.getName() + "::handleRequest", f.path("Handler").asText());
        String codeUri = f.path("CodeUri").asText();
        assertEquals("../functions/authorizer/target/authorizer-lambda.jar", codeUri);
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<finalName>authorizer-lambda</finalName>"), "the shade plugin writes the jar the template names");
        JsonNode env = t.at("/Globals/Function/Environment/Variables");
        assertTrue(env.has(AuthorizerHandler.PUBLIC) && env.has(ServerKeySecret.SECRET) && env.has("TILED_GATEWAY_TABLE"),
                "both functions read the same settings: " + env);
        assertFalse(env.has(AuthorizerHandler.API_KEY) || env.has(AuthorizerHandler.API_KEY_SHA256) || t.has("Parameters") && t.get("Parameters").has("ApiKeySha256"),
                "the server's key comes from Secrets Manager, never from a parameter or a variable's value: " + env);
    }
}
