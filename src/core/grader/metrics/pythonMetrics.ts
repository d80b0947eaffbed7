// The text_similarity metrics of textSimilarity.ts as a standard-library-only Python 3 module, for the compiled
// reward module (TRL/verl). It must score exactly as the TypeScript does; the parity test runs it with python3.
// Kept free of backslashes, backticks and dollar-braces so that the template literal holds it verbatim.

export const PYTHON_METRICS_SOURCE = String.raw`
import math
from collections import Counter

# Python's str.split(), nltk's BLEU/GLEU/METEOR on those words, rouge-score 0.1.2 on its own tokens,
# rapidfuzz's fuzz.ratio / 100 on the raw strings. METEOR leaves out nltk's WordNet synonym stage.

_BLEU_MAX_ORDER = 4
_FLOAT_INFO_MIN = 2.2250738585072014e-308
_METEOR_ALPHA = 0.9
_METEOR_BETA = 3
_METEOR_GAMMA = 0.5


def _lcs_length(a, b):
    """Bit-parallel longest common subsequence (Hyyro 2004) of two sequences of hashable symbols."""
    if not a or not b:
        return 0
    masks = {}
    for i, symbol in enumerate(a):
        masks[symbol] = masks.get(symbol, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for symbol in b:
        u = row & masks.get(symbol, 0)
        row = ((row + u) | (row - u)) & full
    return len(a) - bin(row).count("1")


def fuzzy_match(input_text, reference):
    total = len(input_text) + len(reference)
    distance = total - 2 * _lcs_length(input_text, reference)
    normalized_distance = distance / total if total else 0
    return ((1.0 - normalized_distance) * 100) / 100


def _ngram_counts(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _everygram_counts(tokens, min_order, max_order):
    counts = Counter()
    for n in range(min_order, max_order + 1):
        counts.update(_ngram_counts(tokens, n))
    return counts


def _clipped_overlap(hypothesis, reference):
    return sum(min(count, reference[gram]) for gram, count in hypothesis.items())


def bleu(hypothesis, reference):
    precisions = []
    for n in range(1, _BLEU_MAX_ORDER + 1):
        counts = _ngram_counts(hypothesis, n)
        precisions.append((_clipped_overlap(counts, _ngram_counts(reference, n)), max(1, sum(counts.values()))))
    if precisions[0][0] == 0:
        return 0.0
    weight = 1 / _BLEU_MAX_ORDER
    log_sum = math.fsum(weight * math.log(num / den if num else _FLOAT_INFO_MIN) for num, den in precisions)
    return _brevity_penalty(len(reference), len(hypothesis)) * math.exp(log_sum)


def _brevity_penalty(reference_length, hypothesis_length):
    if hypothesis_length > reference_length:
        return 1
    if hypothesis_length == 0:
        return 0
    return math.exp(1 - reference_length / hypothesis_length)


def gleu(hypothesis, reference):
    hypothesis_grams = _everygram_counts(hypothesis, 1, 4)
    reference_grams = _everygram_counts(reference, 1, 4)
    n_all = max(sum(hypothesis_grams.values()), sum(reference_grams.values()))
    return _clipped_overlap(hypothesis_grams, reference_grams) / n_all if n_all else 0.0


def meteor(hypothesis, reference):
    hypothesis_words = [(i, word.lower()) for i, word in enumerate(hypothesis)]
    reference_words = [(i, word.lower()) for i, word in enumerate(reference)]
    matches = _align_words(hypothesis_words, reference_words)
    if not matches:
        return 0.0
    precision = len(matches) / len(hypothesis_words)
    recall = len(matches) / len(reference_words)
    fmean = (precision * recall) / (_METEOR_ALPHA * precision + (1 - _METEOR_ALPHA) * recall)
    fragmentation = _count_chunks(matches) / len(matches)
    return (1 - _METEOR_GAMMA * fragmentation ** _METEOR_BETA) * fmean


def _align_words(hypothesis, reference):
    exact, hypothesis_left, reference_left = _match_words(hypothesis, reference)
    stemmed, _, _ = _match_words(
        [(i, porter_stem(word)) for i, word in hypothesis_left],
        [(i, porter_stem(word)) for i, word in reference_left],
    )
    return sorted(exact + stemmed, key=lambda match: match[0])


def _match_words(hypothesis, reference):
    """nltk's _match_enums: each hypothesis word, last first, takes the last equal reference word still free."""
    hypothesis_left = list(hypothesis)
    reference_left = list(reference)
    matches = []
    for i in range(len(hypothesis_left) - 1, -1, -1):
        for j in range(len(reference_left) - 1, -1, -1):
            if hypothesis_left[i][1] == reference_left[j][1]:
                matches.append((hypothesis_left[i][0], reference_left[j][0]))
                hypothesis_left.pop(i)
                reference_left.pop(j)
                break
    return matches, hypothesis_left, reference_left


def _count_chunks(matches):
    chunks = 1
    for current, following in zip(matches, matches[1:]):
        if not (following[0] == current[0] + 1 and following[1] == current[1] + 1):
            chunks += 1
    return chunks


def _rouge_tokens(text, use_stemmer=False):
    lowered = text.lower()
    tokens = "".join(ch if "a" <= ch <= "z" or "0" <= ch <= "9" else " " for ch in lowered).split(" ")
    tokens = [token for token in tokens if token]
    if use_stemmer:
        tokens = [porter_stem(token) if len(token) > 3 else token for token in tokens]
        tokens = [token for token in tokens if token and all("a" <= ch <= "z" or "0" <= ch <= "9" for ch in token)]
    return tokens


def rouge_n(input_text, reference, n, use_stemmer=False):
    prediction_grams = _ngram_counts(_rouge_tokens(input_text, use_stemmer), n)
    target_grams = _ngram_counts(_rouge_tokens(reference, use_stemmer), n)
    overlap = _clipped_overlap(target_grams, prediction_grams)
    precision = overlap / max(sum(prediction_grams.values()), 1)
    recall = overlap / max(sum(target_grams.values()), 1)
    return _fmeasure(precision, recall)


def rouge_l(input_text, reference, use_stemmer=False):
    prediction = _rouge_tokens(input_text, use_stemmer)
    target = _rouge_tokens(reference, use_stemmer)
    if not prediction or not target:
        return 0.0
    lcs = _lcs_length(target, prediction)
    return _fmeasure(lcs / len(prediction), lcs / len(target))


def _fmeasure(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


# nltk's PorterStemmer, NLTK_EXTENSIONS mode, for lowercase words.

_IRREGULAR_FORMS = {
    "sky": ["sky", "skies"], "die": ["dying"], "lie": ["lying"], "tie": ["tying"], "news": ["news"],
    "inning": ["innings", "inning"], "outing": ["outings", "outing"], "canning": ["cannings", "canning"],
    "howe": ["howe"], "proceed": ["proceed"], "exceed": ["exceed"], "succeed": ["succeed"],
}
_IRREGULAR = {form: stem for stem, forms in _IRREGULAR_FORMS.items() for form in forms}
_VOWELS = frozenset("aeiou")


def porter_stem(word):
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(word) <= 2:
        return lower
    for step in (_step1a, _step1b, _step1c, _step2, _step3, _step4, _step5a, _step5b):
        lower = step(lower)
    return lower


def _consonant_flags(word):
    flags = []
    for i, ch in enumerate(word):
        flags.append(False if ch in _VOWELS else (i == 0 or not flags[i - 1]) if ch == "y" else True)
    return flags


def _is_consonant(word, i):
    return _consonant_flags(word[:i + 1])[i]


def _measure(stem):
    flags = _consonant_flags(stem)
    return sum(1 for i in range(1, len(flags)) if not flags[i - 1] and flags[i])


def _has_positive_measure(stem):
    return _measure(stem) > 0


def _measure_above_one(stem):
    return _measure(stem) > 1


def _contains_vowel(stem):
    return not all(_consonant_flags(stem))


def _ends_double_consonant(word):
    return len(word) >= 2 and word[-1] == word[-2] and _is_consonant(word, len(word) - 1)


def _ends_cvc(word):
    flags = _consonant_flags(word)
    n = len(word)
    if n >= 3 and flags[n - 3] and not flags[n - 2] and flags[n - 1] and word[-1] not in ("w", "x", "y"):
        return True
    return n == 2 and not flags[0] and flags[1]


def _without_suffix(word, suffix):
    return word[:len(word) - len(suffix)]


def _apply_rule_list(word, rules):
    for suffix, replacement, condition in rules:
        if suffix == "*d" and _ends_double_consonant(word):
            stem = word[:-2]
            return stem + replacement if condition is None or condition(stem) else word
        if word.endswith(suffix):
            stem = _without_suffix(word, suffix)
            return stem + replacement if condition is None or condition(stem) else word
    return word


def _step1a(word):
    if word.endswith("ies") and len(word) == 4:
        return _without_suffix(word, "ies") + "ie"
    return _apply_rule_list(word, [("sses", "ss", None), ("ies", "i", None), ("ss", "ss", None), ("s", "", None)])


def _step1b(word):
    if word.endswith("ied"):
        return _without_suffix(word, "ied") + ("ie" if len(word) == 4 else "i")
    if word.endswith("eed"):
        stem = _without_suffix(word, "eed")
        return stem + "ee" if _measure(stem) > 0 else word
    suffix = next((s for s in ("ed", "ing") if word.endswith(s) and _contains_vowel(_without_suffix(word, s))), None)
    if suffix is None:
        return word
    stem = _without_suffix(word, suffix)
    last = stem[-1]
    return _apply_rule_list(stem, [
        ("at", "ate", None),
        ("bl", "ble", None),
        ("iz", "ize", None),
        ("*d", last, lambda _: last not in ("l", "s", "z")),
        ("", "e", lambda s: _measure(s) == 1 and _ends_cvc(s)),
    ])


def _step1c(word):
    return _apply_rule_list(word, [("y", "i", lambda stem: len(stem) > 1 and _is_consonant(stem, len(stem) - 1))])


_STEP2_RULES = [(suffix, replacement, _has_positive_measure) for suffix, replacement in [
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
    ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
    ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
    ("iviti", "ive"), ("biliti", "ble"), ("fulli", "ful"),
]]


def _step2(word):
    if word.endswith("alli") and _has_positive_measure(_without_suffix(word, "alli")):
        return _step2(_without_suffix(word, "alli") + "al")
    # nltk's 'logi' rule measures the word without its last three letters, not the stem without 'logi'.
    return _apply_rule_list(word, _STEP2_RULES + [("logi", "log", lambda _: _has_positive_measure(word[:-3]))])


def _step3(word):
    return _apply_rule_list(word, [(suffix, replacement, _has_positive_measure) for suffix, replacement in [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ]])


def _step4(word):
    before_ion = [(s, "", _measure_above_one) for s in ("al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent")]
    ion = [("ion", "", lambda stem: _measure(stem) > 1 and stem[-1] in ("s", "t"))]
    after_ion = [(s, "", _measure_above_one) for s in ("ou", "ism", "ate", "iti", "ous", "ive", "ize")]
    return _apply_rule_list(word, before_ion + ion + after_ion)


def _step5a(word):
    if not word.endswith("e"):
        return word
    stem = word[:-1]
    m = _measure(stem)
    return stem if m > 1 or (m == 1 and not _ends_cvc(stem)) else word


def _step5b(word):
    return _apply_rule_list(word, [("ll", "l", lambda _: _measure(word[:-1]) > 1)])


def similarity(metric, input_text, reference):
    """One of fuzzy_match, bleu, gleu, meteor, rouge_1..rouge_5, rouge_l; a float in [0, 1]."""
    if metric == "fuzzy_match":
        return fuzzy_match(input_text, reference)
    if metric in ("bleu", "gleu", "meteor"):
        scorer = {"bleu": bleu, "gleu": gleu, "meteor": meteor}[metric]
        return float(scorer(input_text.split(), reference.split()))
    if metric == "rouge_l":
        return rouge_l(input_text, reference)
    if metric in ("rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5"):
        return rouge_n(input_text, reference, int(metric[len("rouge_"):]))
    raise ValueError("unknown text_similarity metric: " + repr(metric))
`;
