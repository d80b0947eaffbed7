/** A mistake in how the command was called, or a path that cannot be read: exit code 2 with one line. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A flag that takes a whole number ≥ min (0 unless given), or undefined when not given. */
export function parsePositiveInt(flag: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} needs a whole number ≥ ${min}, got "${value}"`);
  return n;
}

/** A flag that counts something: a whole number ≥ 1, or undefined when not given. */
export function parseCount(flag: string, value: string | undefined): number | undefined {
  return parsePositiveInt(flag, value, 1);
}

export const HELP = `rft — RFT Studio on the command line

Usage:
  rft validate <file.jsonl | dataset folder> [--json] [--max-tokens N] [--min-user-chars N] [--max-issues N]
  rft fix <file.jsonl> --code <code>[,<code>..] [--out <file>]
  rft init <dir> --name <name> [--objective <text>]
  rft import <file.jsonl> --into <dataset> [--replace]
  rft export <dataset> --out <file.jsonl>
  rft status <dataset> [--json]
  rft extract --from <openai|litellm|langfuse|otel|helicone|requestlog|chat|auto> [--file <path>] [--base-url <url>]
              [--since <ISO>] [--until <ISO>] [--model <m>]... [--tag key=value]... [--contains <text>]
              [--limit N] [--sample N --seed S] [--include-failed] --into <dataset> [--name <n>] [--objective <o>] [--json]
  rft topics <dataset> [--leaves N] [--top N] [--embedder local|openai] [--labels keywords|llm]
              [--template <name>] [--seed S] [--import <topics.json> [--keep-assignments]] [--export <file>] [--json]
  rft categorize <dataset> [--llm [--model <m>]] [--json]
  rft coverage <dataset> [--json]
  rft generate <dataset> (--fill-gaps | --topic <parent/leaf> --count N) [--strategy few-shot|variations|description|tools]
              [--model M] [--seed S] [--keep-off-target] [--max-requests N] [--json]
  rft records <dataset> [--generated | --traces] [--topic T | --uncategorized] [--valid | --invalid | --duplicates]
              [--code C] [--low-confidence] [--search S] [--limit 100] [--offset N] [--all] [--json]
  rft records <dataset> --delete-generated <line,..> [--json]
  rft grader init <dataset> --preset correctness|format|tool-usage|conciseness [--model <judge>] [--force]
  rft grader run <grader.json | dataset> --pairs <file.jsonl> [--json]
  rft grader check <dataset> [--limit N] [--json]
  rft grader export <dataset> --target openai|azure|trl|verl [--out <path>] [--validate] [--reward-server <url>]
  rft grader serve <dataset> [--host 127.0.0.1] [--port 8787] [--token T]
  rft grade <dataset> [--samples 5] [--from reference|model [--model <base>]] [--seed S] [--json]
  rft dry-run <dataset> [--n 300] [--model M] [--samples-per-prompt K] [--seed S] [--batch] [--resume] [--json]
  rft split <dataset> [--valid 0.1] [--no-stratify] [--generated-in-valid] [--min-valid N] [--seed S]
              [--format rft|sft] [--max-train N] [--max-valid N] [--no-limits] [--json]
  rft train <dataset> --backend openai|azure|trl|verl [--model M] [--suffix S] [--n-epochs N] [--seed S]
              [--bundle-only] [--ray-address URL] [--reward-server URL] [--watch] [--yes] [--force] [--json]
              verl: [--nodes N] [--gpus-per-node N] [--checkpoint-dir <absolute path | file:// URI>]
  rft jobs <dataset> [--json]
  rft job <dataset> <id> [--watch|--cancel|--pause|--resume] [--json]
  rft benchmark <dataset> --base M --tuned M [--n N] [--set <file.jsonl>] [--seed S] [--resamples B] [--resume] [--json]
  rft deploy <dataset> --gateway litellm --config <config.yaml> --mode replace|alias|ab [--model-name NAME]
              [--alias NAME] [--tuned-model M [--endpoint openai|azure|compatible] [--base-url U] [--deployment D]
              [--api-key-env NAME]] [--weights 90,10] [--set-simple-shuffle] [--dry-run]
              [--apply-url URL [--base-api-key-env NAME|none]] [--json]
  rft deploy <dataset> --undo [--force] [--base-api-key-env NAME|none]
  rft help | --version

Commands that call a model (extract --from openai, topics, categorize --llm, generate, grade, grader, dry-run,
benchmark) take --timeout S (per request, default 60) and --max-retry-wait S (the longest retry-after obeyed,
default 60: a server asking for more fails the request as rate_limited); each retry is said on stderr.

validate  checks every record (codes: docs/validation-codes.md); exit 0 when no record has an error, 1 when some do,
          2 for usage or I/O errors.
fix       applies the pure fixes (last_not_user, double_encoded_arguments, top_level_system, bom, crlf,
          duplicate); without --out it rewrites the file in place, atomically, and keeps <file>.bak.
init      makes a folder a dataset (rft.json, records.jsonl).
import    appends a JSONL file to records.jsonl (or --replace, keeping a backup in .rft/backups/).
export    writes the valid records, duplicates once, with topic labels merged into metadata.
status    the pipeline: health and the seven steps, as the VS Code tree shows them.
extract   turns gateway traces (a file, OpenAI stored completions, or Langfuse's API: LANGFUSE_PUBLIC_KEY,
          LANGFUSE_SECRET_KEY, host from LANGFUSE_BASE_URL or LANGFUSE_HOST) into prompt records; creates the
          dataset when needed, appends only new records, and keeps a cursor for the next pull. Calls the
          source logged as failed are skipped ("failed call") unless --include-failed.
topics    finds a 2-level topic hierarchy in the records (offline by default), or starts from a template
          (customer-support, coding-assistant, data-analytics, general-assistant), writes topics.json and
          categorizes every valid record; regenerating keeps manual labels and clears automatic ones.
categorize places records that have no label yet (new or edited); --llm reviews low-confidence ones.
coverage  count, share, target and gap per topic, and the balance score (min share / max share).
generate  fills topic gaps (--fill-gaps) or one topic with records from a model (OPENAI_API_KEY, model from
          --model, RFT_MODEL or gpt-4o-mini); only records that are valid, not (near-)duplicates and placed in
          their topic land, appended to generated.jsonl. Running the same --topic/--count again continues
          toward the same target. Exit 0 when every target landed, 1 when it stopped first (budget, a model
          that keeps repeating itself, Ctrl-C: what landed is kept), 2 for usage errors or no topics yet.
records   lists every record line (file:line, status, topic, text) with filters, 100 at a time; --delete-generated
          removes lines of generated.jsonl (atomically; records.jsonl is never touched) and their orphan labels.
grader    the reward (grader.json: an OpenAI grader object, or js): init from a preset, run on pairs, check
          it against the references and controls, export it for OpenAI/Azure (refusing, at the field, what they
          cannot train with: js, cosine, a judge model their graders do not take — judges default to
          gpt-4o-mini-2024-07-18) or as a TRL/verl reward module, serve it over HTTP for TRL/verl; exit 2 for a
          bad grader.json (with the field).
grade     Test Sample: scores a few records' answers (reference answers, or the base model's).
split     train/validation split into exports/ (90/10, stratified by topic, generated records out of
          validation, seeded) as RFT rows (or --format sft); over OpenAI's 50,000 / 1,000 rows it says the choices;
          warns per field about rows that lack what grader.json reads (they would score 0).
train     launches RFT: openai/azure (hosted fine-tuning jobs; OPENAI_API_KEY, or AZURE_OPENAI_API_KEY +
          AZURE_OPENAI_ENDPOINT), trl (the exports/trl bundle as a local process; RFT_TRL_COMMAND replaces its
          launch command) or verl (the exports/verl bundle on a Ray cluster: --ray-address or RFT_RAY_ADDRESS,
          RFT_RAY_TOKEN when it has token auth). Needs grader.json and a GO dry run (CAUTION: --yes; none,
          NO-GO or a dry run of another grader: --force); splits first when exports/ has no RFT split; the job
          is recorded in .rft/jobs/<id>.json before it is launched. Exit 0 launched (with --watch: succeeded),
          1 the backend refused it (recorded as failed, with its message) or it failed or was cancelled,
          2 usage, gate, grader or settings errors. --bundle-only (trl, verl) writes the bundle, no job.
jobs      the dataset's training jobs, newest first; exit 1 when a job file is damaged.
job       one job as its backend sees it now (the file is updated), --watch follows it (a lost connection is
          said and retried; Ctrl-C stops watching, not the job), --cancel (all), --pause/--resume (openai,
          azure); exit 1 when the job failed, 2 for usage errors or an action the backend cannot do.
benchmark base vs tuned on the validation split (exports/valid.jsonl, a --set, or sampled records): means, the
          paired bootstrap 95 % interval of the difference overall and per topic; exit 1 when a topic regressed.
deploy    routes the tuned model in a LiteLLM proxy config.yaml (replace, alias, A/B weights) with a diff first,
          the old file kept for --undo; A/B needs routing_strategy simple-shuffle, the only one that reads weights
          (exit 2 otherwise, --set-simple-shuffle sets it); --apply-url uses the proxy's admin API (needs
          store_model_in_db; its /model/info never returns api_key, so undo may need --base-api-key-env).
`;
