#!/usr/bin/env python3
"""Checks the served OpenAPI document against the OpenAPI 3 schema. Run by scripts/test.sh."""
import sys

try:
    import yaml
    from openapi_spec_validator import validate
except ImportError:
    import subprocess
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "openapi-spec-validator", "PyYAML"])
    import yaml
    from openapi_spec_validator import validate

path = sys.argv[1] if len(sys.argv) > 1 else "Sources/WanggeServer/Public/api/openapi.yaml"
try:
    validate(yaml.safe_load(open(path, encoding="utf-8")))
except Exception as error:  # the validator's message says where the document is wrong
    print(f"openapi: {path} is not valid OpenAPI 3: {error}")
    print("0 passed, 1 failed")
    sys.exit(1)
print(f"openapi: {path} is valid OpenAPI 3")
