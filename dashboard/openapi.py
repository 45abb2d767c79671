"""The OpenAPI document of the REST API, built from the parameters' defaults so it cannot drift."""

from tracing.params import FIELDS

__all__ = ["openapi_document"]

_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "examples": ["BadParameters"]},
        "message": {"type": "string"},
        "field": {"type": "string", "description": "the request field at fault (400 only)"},
        "reason": {"type": "string"},
        "problems": {
            "type": "array",
            "description": "every invalid request field, the first being `field` (400 only)",
            "items": {
                "type": "object",
                "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


_RISK = {
    "type": "object",
    "required": ["rating", "rules"],
    "description": "The risk rating: the most severe documented rule that fired (tracing/scoring/risk.py).",
    "properties": {
        "rating": {"type": "string", "enum": ["low", "medium", "high", "severe"]},
        "rules": {
            "type": "array",
            "description": "the fired rules, most severe first",
            "items": {
                "type": "object",
                "required": ["rule", "rating", "evidence", "explanation"],
                "properties": {
                    "rule": {"type": "string", "examples": ["listed", "sanctioned_counterparty"]},
                    "rating": {"type": "string", "enum": ["low", "medium", "high", "severe"]},
                    "evidence": {"type": "object"},
                    "explanation": {"type": "string"},
                },
            },
        },
    },
}
_SCORE = {
    "type": "object",
    "required": ["address", "chain", "risk", "final_score", "tests"],
    "properties": {
        "address": {"type": "string"},
        "chain": {"type": "string"},
        "risk": {"$ref": "#/components/schemas/Risk"},
        "final_score": {
            "type": "number",
            "description": "the original system's danger score: the weighted mean of the four tests (0-100)",
        },
        "tests": {"type": "object", "description": "value, transfers, hiding, relation: score, evidence, ..."},
        "transfers_analysed": {"type": "integer"},
        "data_source": {"type": "string"},
        "parameters": {"type": "object"},
        "profile": {
            "type": ["object", "null"],
            "description": "behavioural profile: cluster name and why, distance percentile, outlier flag, "
            "five most similar stored addresses, features against the cluster's range; null until "
            "'tracing profiles train' has saved a model",
        },
    },
}


_ENTRY = {
    "type": "object",
    "required": ["entity", "list", "list_version"],
    "properties": {
        "entity": {"type": "string"},
        "sdn_id": {"type": ["string", "null"]},
        "programs": {"type": "array", "items": {"type": "string"}},
        "listed_on": {"type": ["string", "null"]},
        "list": {"type": "string", "examples": ["OFAC SDN", "Chainalysis sanctions API"]},
        "list_version": {"type": ["string", "null"], "description": "the list's issue, or when the API answered"},
        "description": {"type": "string", "description": "Chainalysis sanctions API entries only"},
        "url": {"type": "string", "description": "Chainalysis sanctions API entries only"},
    },
}
_SANCTIONS = {
    "type": "object",
    "required": ["address", "chain", "listed", "entries", "lists", "api"],
    "properties": {
        "address": {"type": "string"},
        "chain": {"type": "string"},
        "listed": {"type": "boolean"},
        "entries": {"type": "array", "items": {"$ref": "#/components/schemas/SanctionsEntry"}},
        "lists": {
            "type": "array",
            "description": "the local lists consulted, each with its version",
            "items": {"type": "object", "properties": {"list": {"type": "string"}, "version": {"type": "string"}}},
        },
        "api": {
            "type": ["object", "null"],
            "description": "null without CHAINALYSIS_API_KEY; else the API's status: ok, cached, or failed with "
            "a message (the answer then comes from the local lists only)",
        },
    },
}


def _parameter_schema(default) -> dict:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string"}[type(default)]
    return {"type": kind, "default": default}


def _answer(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document() -> dict:
    """OpenAPI 3.1 description of ``POST /api/score`` and ``GET /api/sanctions/...``."""
    request = {
        "type": "object",
        "required": ["address"],
        "properties": {
            "address": {"type": "string", "description": "TRON, Ethereum, Bitcoin or Solana address"},
            "chain": {
                "type": "string",
                "enum": ["tron", "ethereum", "bitcoin", "solana"],
                "description": "detected when omitted",
            },
            **{name: _parameter_schema(default) for name, default in FIELDS.items()},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tracing API", "version": "1", "description": "Danger scores of crypto addresses."},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "python -m tracing users token NAME"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "ScoreRequest": request,
                "Score": _SCORE,
                "Risk": _RISK,
                "Sanctions": _SANCTIONS,
                "SanctionsEntry": _ENTRY,
                "Error": _ERROR,
            },
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/api/score": {
                "post": {
                    "summary": "Danger score of an address with every test's evidence",
                    "description": "Accepts the original anomaly finder's body unchanged; every field but "
                    "address is optional. Answers the document of `python -m tracing score --json`.",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScoreRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "the score document: risk rating first, the danger score beside it",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Score"}}},
                        },
                        "400": _answer("a field is missing or invalid: `field` names it, `reason` says why"),
                        "401": _answer("not logged in and no valid bearer token"),
                        "404": _answer("no transfers are known for the address"),
                        "429": _answer("a chain API is rate-limiting this tool; `retry_after` in seconds when known"),
                        "503": _answer("a chain API failed, timed out, answered garbage or lacks its key"),
                    },
                }
            },
            "/api/sanctions/{chain}/{address}": {"get": _sanctions_operation(with_chain=True)},
            "/api/sanctions/{address}": {"get": _sanctions_operation(with_chain=False)},
        },
    }


def _sanctions_operation(*, with_chain: bool) -> dict:
    """``GET /api/sanctions/...``: the document of ``python -m tracing sanctions check --json``."""
    where = [{"name": "address", "in": "path", "required": True, "schema": {"type": "string"}}]
    if with_chain:
        chains = ["tron", "ethereum", "bitcoin", "solana"]
        where.insert(0, {"name": "chain", "in": "path", "required": True, "schema": {"type": "string", "enum": chains}})
    return {
        "summary": "Is an address on a sanctions list?" + ("" if with_chain else " (chain detected)"),
        "description": "No transfers needed. The local lists (the shipped OFAC SDN snapshot or a newer stored "
        "issue, and loaded lists) and, with CHAINALYSIS_API_KEY, the Chainalysis sanctions API; when the API "
        "fails, `api` says so and the answer comes from the local lists.",
        "parameters": where,
        "responses": {
            "200": {
                "description": "the screening document",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sanctions"}}},
            },
            "400": _answer("the address fits no chain (or not the one named) and no list names it as written"),
            "401": _answer("not logged in and no valid bearer token"),
        },
    }
