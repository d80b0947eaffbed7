// The Python of the deterministic presets (written to graders/*.py by `rft grader init`). Standard library only,
// so the same code runs in Pyodide here, in OpenAI's python grader, and in the compiled TRL/verl module.

export const FORMAT_COMPLIANCE_PY = String.raw`"""Format compliance: the answer has the shape the record expects.

- a JSON schema in item.response_format, or a JSON reference answer: the answer must be JSON with the same
  structure (share of the schema's checks it passes);
- reference tool calls: the answer must call known tools with JSON-object arguments;
- otherwise plain prose: a non-empty answer that is not wrapped JSON.
"""
import json


def _expected_schema(item):
    response_format = item.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        return (response_format.get("json_schema") or {}).get("schema")
    return None


def _json_reference(item):
    reference = item.get("reference_answer")
    if isinstance(reference, (dict, list)):
        return reference
    if isinstance(reference, str) and reference.strip()[:1] in ("{", "["):
        try:
            return json.loads(reference)
        except ValueError:
            return None
    return None


def _schema_of(value):
    if isinstance(value, dict):
        return {"type": "object", "required": sorted(value), "properties": {k: _schema_of(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"type": "array", "items": _schema_of(value[0])} if value else {"type": "array"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, (int, float)):
        return {"type": "number"}
    if value is None:
        return {"type": "null"}
    return {"type": "string"}


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def _checks(value, schema):
    """(passed, total) checks of value against a small JSON Schema subset: type, required, properties, items, enum."""
    if not isinstance(schema, dict):
        return 1, 1
    passed, total = 0, 0
    expected = schema.get("type")
    if expected is not None:
        kinds = expected if isinstance(expected, list) else [expected]
        total += 1
        if any(_TYPES.get(kind, lambda v: True)(value) for kind in kinds):
            passed += 1
        else:
            return passed, total + len(schema.get("required") or [])
    if "enum" in schema:
        total += 1
        passed += 1 if value in schema["enum"] else 0
    if isinstance(value, dict):
        for key in schema.get("required") or []:
            total += 1
            passed += 1 if key in value else 0
        for key, sub in (schema.get("properties") or {}).items():
            if key in value:
                p, t = _checks(value[key], sub)
                passed, total = passed + p, total + t
        if schema.get("additionalProperties") is False:
            extra = [key for key in value if key not in (schema.get("properties") or {})]
            total += 1
            passed += 0 if extra else 1
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for element in value[:50]:
            p, t = _checks(element, schema["items"])
            passed, total = passed + p, total + t
    return passed, total


def _tool_call_score(sample, item):
    calls = sample.get("output_tools") or []
    if not calls:
        return 0.0
    known = {((tool.get("function") or {}).get("name")) for tool in item.get("tools") or [] if isinstance(tool, dict)}
    good = 0
    for call in calls:
        function = call.get("function") or {}
        try:
            arguments = json.loads(function.get("arguments") or "")
        except ValueError:
            continue
        if isinstance(arguments, dict) and (not known or function.get("name") in known):
            good += 1
    return good / len(calls)


def grade(sample, item):
    text = (sample.get("output_text") or "").strip()
    if item.get("reference_tool_calls"):
        return _tool_call_score(sample, item)
    schema = _expected_schema(item)
    reference = _json_reference(item)
    if schema is None and reference is None:
        if not text:
            return 0.0
        return 0.5 if text[:1] in ("{", "[") else 1.0
    try:
        value = json.loads(text)
    except ValueError:
        return 0.0
    passed, total = _checks(value, schema if schema is not None else _schema_of(reference))
    return passed / total if total else 1.0
`;

export const TOOL_SELECTION_PY = String.raw`"""Tool selection: the answer calls the tools the reference calls (Jaccard overlap of the function names); when
the reference calls none, answering in text without calling tools is right."""


def _names(calls):
    return {(call.get("function") or {}).get("name") for call in calls or [] if isinstance(call, dict)}


def grade(sample, item):
    expected = _names(item.get("reference_tool_calls"))
    actual = _names(sample.get("output_tools"))
    if not expected and not actual:
        return 1.0 if (sample.get("output_text") or "").strip() else 0.0
    if not expected or not actual:
        return 0.0
    return len(expected & actual) / len(expected | actual)
`;

export const TOOL_INPUT_PY = String.raw`"""Tool input: for each reference call, the share of its arguments the answer's call of that tool matches."""
import json


def _arguments(call):
    try:
        value = json.loads((call.get("function") or {}).get("arguments") or "{}")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _same(a, b):
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().lower() == b.strip().lower()
    return a == b


def grade(sample, item):
    expected = [call for call in item.get("reference_tool_calls") or [] if isinstance(call, dict)]
    actual = [call for call in sample.get("output_tools") or [] if isinstance(call, dict)]
    if not expected:
        return 1.0 if not actual and (sample.get("output_text") or "").strip() else 0.0
    total = 0.0
    for call in expected:
        name = (call.get("function") or {}).get("name")
        wanted = _arguments(call) or {}
        candidates = [_arguments(other) for other in actual if (other.get("function") or {}).get("name") == name]
        candidates = [c for c in candidates if c is not None]
        if not candidates:
            continue
        if not wanted:
            total += 1.0
            continue
        total += max(sum(1 for key, value in wanted.items() if key in c and _same(c[key], value)) / len(wanted) for c in candidates)
    return total / len(expected)
`;

export const RESULT_USAGE_PY = String.raw`"""Result usage: an answer given after tool results uses them (their numbers and names appear in the answer);
a prompt that still needs tools (the reference calls some) is answered by calling them rather than guessing."""
import json
import re

_SALIENT = re.compile(r"[A-Za-z0-9_.:@/-]*\d[A-Za-z0-9_.:@/-]*|[A-Z][A-Za-z0-9_-]{3,}")


def _tool_results(item):
    results = []
    for message in reversed(item.get("messages") or []):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "tool":
            content = message.get("content")
            results.append(content if isinstance(content, str) else json.dumps(content))
        elif message.get("role") == "assistant":
            break
    return results


def grade(sample, item):
    text = sample.get("output_text") or ""
    results = _tool_results(item)
    if not results:
        if item.get("reference_tool_calls"):
            return 1.0 if sample.get("output_tools") else 0.0
        return 1.0 if text.strip() or sample.get("output_tools") else 0.0
    values = []
    for result in results:
        for token in _SALIENT.findall(result):
            token = token.strip(".:/-")
            if len(token) >= 2 and token not in values:
                values.append(token)
    if not values:
        return 1.0 if text.strip() else 0.0
    wanted = min(3, len(values))
    found = sum(1 for value in values if value.lower() in text.lower())
    return min(1.0, found / wanted)
`;

export const LENGTH_PY = String.raw`"""Length: no longer than needed. Up to 1.2x the reference's words scores 1, falling to 0 at 3x; without a
reference, up to 150 words scores 1, falling to 0 at 450. An empty answer scores 0; one that only calls tools, 1."""
import re


def _words(text):
    return re.findall(r"\w+", text or "")


def grade(sample, item):
    answer = len(_words(sample.get("output_text")))
    if answer == 0:
        return 1.0 if sample.get("output_tools") else 0.0
    reference = item.get("reference_answer")
    target = len(_words(reference)) if isinstance(reference, str) and reference.strip() else 150
    ratio = answer / max(1, target)
    if ratio <= 1.2:
        return 1.0
    return max(0.0, 1.0 - (ratio - 1.2) / 1.8)
`;

export const COMPLETENESS_PY = String.raw`"""Completeness: the share of the reference's content words (4+ letters, not function words) the answer has.
Without a reference text, any non-empty answer is complete (one that calls tools, when the reference calls tools)."""
import re

_FUNCTION_WORDS = set("""about above after again against also because been before being below between both could
does doing down during each from further have having here into just more most must once only other over same should
some such than that their them then there these they this those through under until very want what when where which
while will with would your yours you're it's don't can't""".split())


def _content_words(text):
    return {word for word in re.findall(r"[a-z0-9']+", (text or "").lower()) if len(word) >= 4 and word not in _FUNCTION_WORDS}


def grade(sample, item):
    answer = sample.get("output_text") or ""
    reference = item.get("reference_answer")
    if not isinstance(reference, str) or not reference.strip():
        if item.get("reference_tool_calls"):
            return 1.0 if sample.get("output_tools") else 0.0
        return 1.0 if answer.strip() else 0.0
    wanted = _content_words(reference)
    if not wanted:
        return 1.0 if answer.strip() else 0.0
    return len(wanted & _content_words(answer)) / len(wanted)
`;
