package dev.tiledgateway.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code aws cloudformation package} does to {@code infra/template.yaml}, and no more: each function's
 * {@code CodeUri} (a jar path relative to the template) becomes the {@code s3://} location it was uploaded to.
 * The text is otherwise left as written, so LocalStack applies the SAM transform to the template itself.
 */
final class Packaging {

    /** The template beside this module. */
    static final Path TEMPLATE = Path.of("..", "infra", "template.yaml");

    private static final Pattern CODE_URI = Pattern.compile("(?m)^(\\s+CodeUri:\\s*)(\\S+)\\s*$");

    private Packaging() {}

    /** The CodeUri of every function, in the order the template names them. */
    static List<String> codeUris(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = CODE_URI.matcher(template);
        while (m.find()) out.add(m.group(2));
        return out;
    }

    /** The jar a CodeUri names, from this module's folder (CodeUris are relative to the template's folder). */
    static Path jar(String codeUri) {
        return TEMPLATE.getParent().resolve(codeUri).normalize();
    }

    /** The template with each CodeUri replaced by its upload location; every CodeUri must have one. */
    static String packaged(String template, Map<String, String> uploadedTo) {
        Matcher m = CODE_URI.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String to = uploadedTo.get(m.group(2));
            if (to == null) throw new IllegalArgumentException("no upload for CodeUri " + m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + to));
        }
        m.appendTail(out);
        return out.toString();
    }
}
