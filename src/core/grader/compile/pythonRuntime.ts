// The Python twin of the engine (templates, string_check, formulas, python graders), embedded in every compiled
// reward module. It must score exactly as the TypeScript engine does: test/unit/graderCompile.test.ts runs both.

export const PYTHON_RUNTIME_SOURCE = String.raw`
import json
import math
import re
import urllib.request

_VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class GraderError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _js_number(value):
    """A float as JavaScript's JSON.stringify writes it."""
    if value != value or value in (math.inf, -math.inf):
        return "null"
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    return re.sub(r"e([+-])0*(\d)", lambda m: "e" + m.group(1) + m.group(2), text)


def _js_json(value):
    """Compact JSON as JavaScript's JSON.stringify writes it (templates render non-strings this way)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _js_number(value)
    if isinstance(value, list):
        return "[" + ",".join(_js_json(v) for v in value) + "]"
    return "{" + ",".join(json.dumps(str(k), ensure_ascii=False) + ":" + _js_json(v) for k, v in value.items()) + "}"


def _path_steps(path):
    steps = []
    for part in path.split("."):
        match = re.fullmatch(r"([^\[\]]+)((?:\[\d+\])*)", part)
        if not match or not re.fullmatch(r"[A-Za-z_$][\w$-]*", match.group(1)):
            raise GraderError("invalid_variable_error", "{{%s}}: \"%s\" is not a field name" % (path, part))
        steps.append(match.group(1))
        steps.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    if steps[0] not in ("item", "sample") or len(steps) < 2:
        raise GraderError("invalid_variable_error", "{{%s}}: only the item and sample namespaces exist" % path)
    return steps


def _lookup(pair, path):
    steps = _path_steps(path)
    value = pair[steps[0]]
    for step in steps[1:]:
        if isinstance(step, int) and isinstance(value, list):
            found = 0 <= step < len(value)
        else:
            step = str(step)
            found = isinstance(value, dict) and step in value
        if not found:
            raise GraderError("invalid_variable_error", "{{%s}} is missing" % path)
        value = value[step]
    return value


def _text(value):
    return value if isinstance(value, str) else _js_json(value)


def render(template, pair):
    return _VARIABLE.sub(lambda m: _text(_lookup(pair, m.group(1))), template)


def _string_check(operation, a, b):
    if operation == "eq":
        return 1.0 if a == b else 0.0
    if operation == "ne":
        return 1.0 if a != b else 0.0
    if operation == "like":
        return 1.0 if b in a else 0.0
    return 1.0 if b.lower() in a.lower() else 0.0


def _div(a, b):
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _pow(a, b):
    try:
        return math.pow(a, b)
    except OverflowError:
        return -math.inf if a < 0 and b == int(b) and int(b) % 2 == 1 else math.inf
    except ValueError:
        return math.inf if a == 0 else math.nan


def _fn(name, *args):
    if name == "min":
        return float(min(args))
    if name == "max":
        return float(max(args))
    (x,) = args
    if name == "abs":
        return float(abs(x))
    if name == "floor":
        return float(math.floor(x))
    if name == "ceil":
        return float(math.ceil(x))
    if name == "exp":
        try:
            return math.exp(x)
        except OverflowError:
            return math.inf
    if name == "sqrt":
        return math.sqrt(x) if x >= 0 else math.nan
    if name == "log":
        return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
    raise GraderError("formula_parse_error", "unknown function " + name)


_PYTHON_GRADERS = {}


def _python_grade(source, sample, item):
    """As RFT Studio's Pyodide sandbox calls it: sample always has output_text, output_json, output_tools, choices."""
    grade = _PYTHON_GRADERS.get(source)
    if grade is None:
        namespace = {"__name__": "rft_python_grader"}
        exec(compile(source, "<python grader>", "exec"), namespace)
        grade = _PYTHON_GRADERS[source] = namespace["grade"]
    sample = {
        "output_text": sample.get("output_text") or "",
        "output_json": sample.get("output_json"),
        "output_tools": sample.get("output_tools") or [],
        "choices": sample.get("choices") or [],
    }
    try:
        value = grade(sample, item)
    except Exception as error:
        raise GraderError("python_grader_runtime_error", "%s: %s" % (type(error).__name__, error))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (math.inf, -math.inf):
        raise GraderError("invalid_score_error", "grade() returned %r, not a number" % (value,))
    return float(value)


def to_sample(text, tool_calls=None):
    """The sample OpenAI hands graders: output_json filled when the text is a JSON object or array."""
    sample = {"output_text": text}
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            sample["output_json"] = json.loads(stripped)
        except ValueError:
            pass
    if tool_calls:
        sample["output_tools"] = tool_calls
    return sample


def score_remote(url, pairs, token=None, timeout=120):
    """Scores pairs with rft grader serve (js graders and judges run there)."""
    body = json.dumps({"items": pairs}).encode("utf-8")
    request = urllib.request.Request(url.rstrip("/") + "/score", data=body, headers={"content-type": "application/json"})
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return [float(r) for r in json.loads(response.read().decode("utf-8"))["rewards"]]
`;
