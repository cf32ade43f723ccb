"""``tradegame schema``."""

from __future__ import annotations

import json
import tomllib

import jsonschema

from tests.cli.conftest import DATA


def test_prints_a_schema_the_examples_satisfy(run) -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for name in ("mini-deal.toml", "re-chips.toml"):
        document = tomllib.loads((DATA / name).read_text())
        jsonschema.validate(document, schema)


def test_schema_rejects_unknown_fields(run) -> None:
    schema = json.loads(run("schema").stdout)
    document = tomllib.loads((DATA / "mini-deal.toml").read_text())
    document["titel"] = "typo"
    validator = jsonschema.Draft202012Validator(schema)
    assert any("titel" in error.message for error in validator.iter_errors(document))
