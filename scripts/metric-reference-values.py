#!/usr/bin/env python3
"""Reference values of the text_similarity metrics, from the real libraries, for test/unit/textSimilarity.test.ts.

    /usr/bin/python3 scripts/metric-reference-values.py > test/fixtures/grader/metric-reference-values.json

Needs nltk (Debian: apt-get install python3-nltk, for /usr/bin/python3) and rapidfuzz (pip). rouge-score is
not packaged for Debian: its 0.1.2 scorer (DefaultTokenizer, rougeN, rougeL, f-measure) is re-expressed below
from its public source, with nltk's own PorterStemmer for use_stemmer=True. The choices the values encode (which
call, which tokens) are written down in the fixture's "choices".
"""
import collections
import json
import re
import sys
import warnings

import nltk
import rapidfuzz
from nltk.stem.porter import PorterStemmer
from nltk.translate.bleu_score import sentence_bleu
from nltk.translate.gleu_score import sentence_gleu
from nltk.translate.meteor_score import meteor_score
from rapidfuzz import fuzz

NORTHWIND = "Microsoft Learn, Azure OpenAI graders (azure-ai-foundry docs), text similarity example data"
BANKING77 = "BANKING77 test split (PolyAI-LDN/task-specific-datasets, CC BY 4.0), shared/data/public/banking77_test.csv"
CLINC150 = "CLINC150 test split (clinc/oos-eval, CC BY 3.0), shared/data/public/clinc150_data_full.json"
TOY_CHAT = "openai/openai-cookbook examples/data/toy_chat_fine_tuning.jsonl (MIT), shared/data/public"
JSON_MODE = "anthropics/anthropic-cookbook finetuning/datasets/json_mode_dataset.jsonl (MIT), shared/data/public"
NLTK_DOCS = "nltk bleu_score / meteor_score docstring example"
OURS = "written for this test"

# (id, source, input, reference): input is the graded text (the hypothesis / prediction), reference the target.
CORPUS = [
    ("azure-northwind-1", NORTHWIND,
     "Choosing the right provider is key to maximizing your health insurance benefits. In-network providers reduce costs, offer better coverage, and support continuity of care, leading to more effective and personalized treatment. [Northwind_Health_Plus_Benefits_Details.pdf][Northwind_Standard_Benefits_Details.pdf]",
     "Choosing an in-network provider helps you save money and ensures better, more personalized care. [Northwind_Health_Plus_Benefits_Details-3.pdf]"),
    ("azure-northwind-2", NORTHWIND,
     "To choose an in-network provider, confirm they are part of your plan using the Northwind website or by calling their office. Also consider location, availability, and office hours. [Northwind_Standard_Benefits_Details.pdf]",
     "Check with Northwind Health Plus to confirm the provider is in-network, as this helps reduce costs.\n[Northwind_Health_Plus_Benefits_Details-3.pdf]"),
    ("azure-northwind-3", NORTHWIND,
     "Northwind Health Plus offers a wide range of in-network providers, including primary care physicians, specialists, hospitals, and pharmacies [Northwind_Health_Plus_Benefits_Details.pdf]. The exact range of in-network providers may vary depending on the area, but the Northwind Health Plus website provides a searchable directory of all in-network providers in your area [Northwind_Health_Plus_Benefits_Details.pdf]. It is important to check with Northwind Health Plus to ensure that the provider you are considering is in-network [Northwind_Health_Plus_Benefits_Details.pdf].",
     "Northwind Health Plus offers a wide range of in-network providers, including doctors, specialists, hospitals, and pharmacies.\n[Northwind_Health_Plus_Benefits_Details-3.pdf]"),
    ("azure-northwind-4", NORTHWIND,
     "The limitation of in-network providers is that they may not accept the amount of payment offered by Northwind Health, which means you may be responsible for a greater portion of the cost [Northwind_Standard_Benefits_Details.pdf]. Additionally, out-of-network providers may not offer additional services or discounts that are available to in-network providers [Northwind_Standard_Benefits_Details.pdf]. It is recommended to choose an in-network provider whenever possible to ensure the best value for your health care expenses [Northwind_Standard_Benefits_Details.pdf].\n\nSources:\n- Northwind_Standard_Benefits_Details.pdf",
     "The limitation of in-network providers is that they may not always be available in every area.\n[Northwind_Health_Plus_Benefits_Details-3.pdf]"),
    ("azure-northwind-5", NORTHWIND,
     "Northwind Health Plus provides a variety of in-network providers, including primary care physicians, specialists, hospitals, and pharmacies [Northwind_Health_Plus_Benefits_Details.pdf].",
     "The Northwind Health Plus website offers a searchable directory of all in-network providers in your area. This directory is regularly updated, so you can be sure that you are choosing from in-network providers that are available.\n[Northwind_Health_Plus_Benefits_Details-3.pdf]"),
    ("banking77-card-arrival", BANKING77,
     "I ordered a card but it has not arrived. Help please!",
     "I still have not received my new card, I ordered over a week ago."),
    ("banking77-card-arrival-short", BANKING77,
     "How do I locate my card?",
     "Is there a way to know when my card will arrive?"),
    ("banking77-stolen-card", BANKING77,
     "I can't find my card and think it may have been stolen.",
     "Someone stole my card. I need to report it stolen. I made a police report already, but how do I report it with you?"),
    ("banking77-exchange-rate", BANKING77,
     "What exchange rates do you offer?",
     "I need to know your exchange rates."),
    ("banking77-activate", BANKING77,
     "Could you please activate my card",
     "What do I need to do to activate my new card?"),
    ("banking77-gym-bag", BANKING77,
     "My entire gym bag, including my wallet, was stolen out of my locker today. Everything in my wallet is gone - how do I block the card to make it can't be used?",
     "I can't find my card and think it may have been stolen."),
    ("clinc150-translate", CLINC150,
     "how would you say fly in italian",
     "how do you say fast in spanish"),
    ("clinc150-flights", CLINC150,
     "book me a flight to jackson, mississippi from austin texas on american airlines",
     "can you book me a flight to memphis from st louis on delta airlines"),
    ("clinc150-alarm", CLINC150,
     "set an alarm for 6 am tomorrow",
     "set an alarm for 8 tomorrow"),
    ("clinc150-reservation", CLINC150,
     "make a reservation for chik-fil-a at 3 o' clock please",
     "i'd like to make a reservation at rooth chris, can you do that"),
    ("toy-chat-positive", TOY_CHAT,
     "It's great that you're getting exercise outdoors!",
     "It's ok, it happens to everyone."),
    ("toy-chat-banana", "the first six repeats of an answer in " + TOY_CHAT,
     "Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!Eat a banana!",
     "Eat a banana!"),
    ("json-mode-titanic", JSON_MODE,
     "{\n  \"movie\": \"Titanic\",\n  \"releaseYear\": 1997,\n  \"director\": \"James Cameron\",\n  \"additionalInfo\": {\n    \"initialReleaseDate\": \"November 1, 1997\",\n    \"wideReleaseDate\": \"December 19, 1997\",\n    \"country\": \"United States\",\n    \"studio\": \"Paramount Pictures\",\n    \"boxOffice\": \"$2.2 billion (worldwide)\",\n    \"awards\": [\n      \"11 Academy Awards\",\n      \"4 Golden Globe Awards\"\n    ]\n  },\n  \"notes\": \"Titanic was one of the most expensive films ever made at the time and became a massive commercial and critical success.\"\n}",
     "{\n  \"answer\": {\n    \"year\": 1912,\n    \"event\": \"Sinking of the RMS Titanic\",\n    \"details\": {\n      \"date\": \"April 15, 1912\",\n      \"time\": \"2:20 AM\",\n      \"location\": {\n        \"coordinates\": \"41\\u00b043\\u203232\\u2033N 49\\u00b056\\u203249\\u2033W\",\n        \"body_of_water\": \"North Atlantic Ocean\"\n      }\n    },\n    \"additional_info\": {\n      \"maiden_voyage\": true,\n      \"casualties\": \"More than 1,500\",\n      \"survivors\": \"Approximately 710\"\n    }\n  }\n}"),
    ("json-mode-capital", OURS + ", after an answer in " + JSON_MODE,
     '{\n  "answer": {\n    "capital": "Canberra",\n    "country": "Australia"\n  }\n}',
     '{"answer": {"capital": "Canberra", "country": "Australia", "established": 1913}}'),
    ("nltk-bleu-example", NLTK_DOCS,
     "It is a guide to action which ensures that the military always obeys the commands of the party",
     "It is a guide to action that ensures that the military will forever heed Party commands"),
    ("nltk-bleu-example-poor", NLTK_DOCS,
     "It is to insure the troops forever hearing the activity guidebook that party direct",
     "It is a guide to action that ensures that the military will forever heed Party commands"),
    ("identical", OURS, "The quick brown fox jumps over the lazy dog.", "The quick brown fox jumps over the lazy dog."),
    ("empty-both", OURS, "", ""),
    ("empty-input", OURS, "", "The reference answer."),
    ("empty-reference", OURS, "An answer with no reference.", ""),
    ("whitespace-only", OURS, "   \t\n ", " "),
    ("no-overlap", OURS, "alpha beta gamma delta", "one two three four"),
    ("one-word-same", OURS, "yes", "yes"),
    ("one-word-different", OURS, "yes", "no"),
    ("two-words", OURS, "Paris, France", "Paris France"),
    ("three-words-reordered", OURS, "dog bites man", "man bites dog"),
    ("case-only", OURS, "THE CAT SAT ON THE MAT", "the cat sat on the mat"),
    ("punctuation", OURS, "Hello, world! How are you?", "Hello world how are you"),
    ("stems", OURS, "The runners were running quickly through connected networks", "A runner runs quick through the connection network"),
    ("stems-irregular", OURS, "The skies are dying and the news is lying", "sky die news lie"),
    ("stems-y", OURS, "happy enjoyment syzygy yelling toys by", "happiness enjoy syzygies yell toy"),
    ("repetition-clipping", OURS, "the the the the the the the", "the cat is on the mat"),
    ("meteor-fragmented", OURS, "party the of commands the obeys always military the", "the military always obeys the commands of the party"),
    ("unicode-accents", OURS, "Café déjà vu — naïve coöperation", "cafe deja vu naive cooperation"),
    ("unicode-greek", OURS, "ΟΔΟΣ Σοφίας ΣΟΦΟΣ", "οδος σοφιας σοφος"),
    ("unicode-cjk", OURS, "我喜欢自然语言处理", "我喜欢语言"),
    ("unicode-emoji", OURS, "I love 🍕 and 🍣🍣 today", "I love 🍕🍕 and sushi today"),
    ("unicode-dotted-i", OURS, "İstanbul KELVIN \u212a", "istanbul kelvin k"),
    ("whitespace-kinds", OURS, "one\ttwo\nthree\u00a0four\u2003five\u001cSIX\u0085seven", "one two three four five SIX seven"),
    ("whitespace-bom", OURS, "one\ufefftwo three", "one two three"),
    ("numbers", OURS, "Order #12345 shipped on 2024-05-01 for $19.99", "order 12345 shipped 2024 05 01 for 19 99"),
    ("stemmer-oddities", OURS, "xa*ded generalli analogi helpfulli controlling", "xad general analog helpful control"),
]

PORTER_EXTRA_WORDS = """caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized
hopping tanned falling hissing fizzed failing filing happy sky relational conditional rational valenci hesitanci
digitizer conformabli radicalli differentli vileli analogousli vietnamization predication operator feudalism
decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate formative formalize electriciti
electrical hopeful goodness revival allowance inference airliner gyroscopic adjustable defensible irritant
replacement adjustment dependent adoption homologou communism activate angulariti homologous effective bowdlerize
probate rate cease controll roll dying lying tying news innings outings cannings howe proceed exceed succeed flies
dies spied tried enjoy syzygy yelling toy by generalli analogi eulogi fully helpfulli a*ded xa*ded ÿes 🍕🍕s
🍣🍣ing oo ab yy eed ied ies sses abeyance yyyyy ay aies bye""".split()


class NoSynonyms:
    """A WordNet with no synsets: METEOR with only its exact and stem stages, as ours."""

    @staticmethod
    def synsets(_word):
        return []


# rouge-score 0.1.2, re-expressed: DefaultTokenizer, _create_ngrams, _score_ngrams, _score_lcs, fmeasure.

def rouge_tokenize(text, stemmer):
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    tokens = re.split(r"\s+", text)
    if stemmer:
        tokens = [stemmer.stem(token) if len(token) > 3 else token for token in tokens]
    return [token for token in tokens if re.match(r"^[a-z0-9]+$", token)]


def rouge_fmeasure(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def rouge_n(target_tokens, prediction_tokens, n):
    def grams(tokens):
        return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    target, prediction = grams(target_tokens), grams(prediction_tokens)
    overlap = sum(min(count, prediction[gram]) for gram, count in target.items())
    precision = overlap / max(sum(prediction.values()), 1)
    recall = overlap / max(sum(target.values()), 1)
    return rouge_fmeasure(precision, recall)


def rouge_l(target_tokens, prediction_tokens):
    if not target_tokens or not prediction_tokens:
        return 0.0
    table = [[0] * (len(prediction_tokens) + 1) for _ in range(len(target_tokens) + 1)]
    for i in range(1, len(target_tokens) + 1):
        for j in range(1, len(prediction_tokens) + 1):
            if target_tokens[i - 1] == prediction_tokens[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    lcs = table[-1][-1]
    return rouge_fmeasure(lcs / len(prediction_tokens), lcs / len(target_tokens))


def rouge_scores(input_text, reference, stemmer):
    target = rouge_tokenize(reference, stemmer)
    prediction = rouge_tokenize(input_text, stemmer)
    scores = {"rouge_%d" % n: rouge_n(target, prediction, n) for n in range(1, 6)}
    scores["rouge_l"] = rouge_l(target, prediction)
    return scores


def values_of(input_text, reference):
    hypothesis, ref = input_text.split(), reference.split()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nltk warns when an n-gram order has no match
        values = {
            "fuzzy_match": fuzz.ratio(input_text, reference) / 100,
            "bleu": float(sentence_bleu([ref], hypothesis)),
            "gleu": float(sentence_gleu([ref], hypothesis)),
            "meteor": float(meteor_score([ref], hypothesis, wordnet=NoSynonyms())),
        }
    values.update(rouge_scores(input_text, reference, None))
    return values


def porter_words():
    words = set(PORTER_EXTRA_WORDS)
    for _, _, input_text, reference in CORPUS:
        for text in (input_text, reference):
            words.update(word.lower() for word in text.split())
            words.update(rouge_tokenize(text, None))
    return sorted(words)


def main():
    stemmer = PorterStemmer()
    fixture = {
        "about": "Reference values of the text_similarity metrics, made by scripts/metric-reference-values.py with the "
                 "real nltk and rapidfuzz (rouge-score 0.1.2's scorer re-expressed there from its public source, with "
                 "nltk's PorterStemmer). Regenerate with that script; do not edit by hand.",
        "generated_with": {
            "python": sys.version.split()[0],
            "nltk": nltk.__version__,
            "rapidfuzz": rapidfuzz.__version__,
            "rouge_score": "0.1.2 algorithm, re-expressed",
        },
        "choices": {
            "fuzzy_match": "rapidfuzz fuzz.ratio(input, reference) / 100 on the raw strings",
            "bleu": "nltk sentence_bleu([reference.split()], input.split()): weights 0.25 x 4, no smoothing",
            "gleu": "nltk sentence_gleu([reference.split()], input.split()): 1- to 4-grams",
            "meteor": "nltk meteor_score([reference.split()], input.split(), wordnet=<no synsets>): lowercase, exact "
                      "and Porter-stem stages, alpha 0.9, beta 3, gamma 0.5",
            "rouge": "rouge-score RougeScorer(['rougeN' | 'rougeL'], use_stemmer=False).score(reference, input).fmeasure",
            "rouge_stemmed": "the same with use_stemmer=True (not the grader's choice; it tests the stemmer path)",
            "porter": "nltk PorterStemmer() (NLTK_EXTENSIONS) .stem(word) on lowercase words",
        },
        "pairs": [
            {
                "id": pair_id,
                "source": source,
                "input": input_text,
                "reference": reference,
                "values": values_of(input_text, reference),
                "rouge_stemmed": rouge_scores(input_text, reference, stemmer),
            }
            for pair_id, source, input_text, reference in CORPUS
        ],
        "porter": {word: stemmer.stem(word) for word in porter_words()},
    }
    json.dump(fixture, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
