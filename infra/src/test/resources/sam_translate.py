# The SAM template as CloudFormation, by the SAM translator that ships with cfn-lint (no AWS call: managed policies
# come from cfn-lint's bundled map). Arguments: template, output JSON, and a JSON object mapping each function's
# CodeUri to [bucket, key] of its uploaded jar (what `sam package` does), or "{}" to keep the local paths.
import json, os, sys
from cfnlint.data import Serverless
from cfnlint.decode import decode
from cfnlint.helpers import load_resource
from samtranslator.parser import parser
from samtranslator.translator.translator import Translator

template, matches = decode(sys.argv[1])
if matches:
    sys.exit(str(matches))
uploaded = json.loads(sys.argv[3])
for name, resource in template["Resources"].items():
    if resource.get("Type") == "AWS::Serverless::Function":
        uri = resource["Properties"]["CodeUri"]
        if uploaded:
            if uri not in uploaded:
                sys.exit("no uploaded jar for " + name + "'s CodeUri " + uri)
            bucket, key = uploaded[uri]
            resource["Properties"]["CodeUri"] = {"Bucket": bucket, "Key": key}
        else:
            resource["Properties"]["CodeUri"] = "s3://local/" + uri
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
translated = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"), sam_parser=parser.Parser()).translate(
    sam_template=template, parameter_values={}, passthrough_metadata=True)
with open(sys.argv[2], "w") as out:
    json.dump(translated, out, indent=1, default=str)
