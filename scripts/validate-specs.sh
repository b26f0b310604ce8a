#!/usr/bin/env bash
# Validates every OpenAPI document under specs/ (including the verbatim vendor documents under
# specs/vendor/) with the independent `openapi-spec-validator` from PyPI, installing it first when
# it is missing, then checks every response and parameter example against its schema with
# `openapi-schema-validator` (a dependency of the former). Exits non-zero when any document or
# example is invalid, or when the validator cannot be installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

python="${PYTHON:-python3}"

if ! "$python" -c "import openapi_spec_validator" >/dev/null 2>&1; then
    echo "openapi-spec-validator is not installed; installing it with pip" >&2
    "$python" -m pip install --quiet openapi-spec-validator
fi

# specs/regressions/ holds what users feed generators in the wild, much of it outside the standard on purpose
# (JSON Schema forms in 2.0 documents, wrong-typed keywords): it is not validated.
mapfile -t specs < <(find specs -type f \( -name '*.yaml' -o -name '*.yml' \) -not -path 'specs/regressions/*' | LC_ALL=C sort)
if [ "${#specs[@]}" -eq 0 ]; then
    echo "no OpenAPI documents found under specs/" >&2
    exit 1
fi

failed=()
for spec in "${specs[@]}"; do
    # The module entry point prints "<file>: OK" or the validation errors.
    if "$python" -m openapi_spec_validator "$spec"; then
        :
    else
        case "$spec" in
            specs/vendor/*) echo "note: $spec is a verbatim vendor document; it is kept unedited" >&2 ;;
        esac
        failed+=("$spec")
    fi
done

# Second, independent check of the examples: every example of a response or parameter must
# validate against its schema (OpenAPI 3.0 schema dialect, with format checks).
if ! "$python" - "${specs[@]}" <<'PY'
import sys

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)

    def deref(node, depth=0):
        # Follows a `$ref` chain at the top of a parameter or response only; schemas keep their references and are
        # resolved lazily by the validator, so recursive schemas are fine.
        if depth > 50:
            raise RecursionError(f"{path}: $ref chain too deep")
        if isinstance(node, dict) and "$ref" in node:
            target = doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return deref(target, depth + 1)
        return node

    components = doc.get("components") or {}

    checked = []
    for route, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                continue
            where = f"{method.upper()} {route}"
            for param in op.get("parameters", []):
                param = deref(param)
                if "example" in param:
                    checked.append((f"{where} parameter {param['name']}", param["schema"], param["example"]))
            for status, response in (op.get("responses") or {}).items():
                response = deref(response)
                for media_type, media in (response.get("content") or {}).items():
                    schema = media.get("schema")
                    if schema is None:
                        continue
                    if "example" in media:
                        checked.append((f"{where} {status} {media_type} example", schema, media["example"]))
                    for name, example in (media.get("examples") or {}).items():
                        checked.append((f"{where} {status} {media_type} example {name!r}", schema, example["value"]))
    for where, schema, value in checked:
        # `#/components/...` references resolve against this root, which carries the document's components.
        root = {"allOf": [schema], "components": components}
        validator = OAS30Validator(root, format_checker=oas30_format_checker)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        for error in errors:
            bad += 1
            location = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: {where}: at /{location}: {error.message}", file=sys.stderr)
    print(f"{path}: {len(checked)} examples checked")
sys.exit(1 if bad else 0)
PY
then
    failed+=("examples (see above)")
fi

if [ "${#failed[@]}" -ne 0 ]; then
    echo "validation failed for:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "all ${#specs[@]} OpenAPI documents and their examples are valid"
