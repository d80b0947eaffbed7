// The grader editor's data and its one message protocol, shared by the extension (host) and the webview.
// Plain data only: both sides import these types, neither imports the other. The grader shapes mirror
// grader.json (src/core/grader/graderSchema.ts, OpenAI's grader objects plus `js`) as plain JSON; the webview
// edits drafts of them and the host validates every draft with the real schema before it compiles or saves it.
import type { CompileProblem } from '../core/grader/compile/compileProblem';
import type { ScoreSummary, SelfCheckReport } from '../core/grader/selfCheckTypes';
import type { TemplateVariable } from '../core/grader/templateVariableTypes';
import type { AnswerSource, TestSampleRow as GradedRow } from '../core/grader/testSampleTypes';
import { messageGuard } from './messageGuard';

export type { AnswerSource, CompileProblem, TemplateVariable };

export type JudgeRole = 'system' | 'developer' | 'user' | 'assistant';

export interface JudgeMessageJson {
  role: JudgeRole;
  /** A template ("{{item.reference_answer}}"), or content parts as OpenAI's cookbook writes them. */
  content: string | { type: string; text?: string }[];
  type?: 'message';
}

export interface SamplingParamsJson {
  temperature?: number | null;
  top_p?: number | null;
  seed?: number | null;
  max_completions_tokens?: number | null;
  /** As the openai SDK's ReasoningEffort (src/core/grader/judgeModels.ts). */
  reasoning_effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max' | null;
}

/** Keys of ours that OpenAI does not know (dropped when compiling). */
interface OurKeys {
  preset?: string;
  description?: string;
}

export interface StringCheckJson extends OurKeys {
  type: 'string_check';
  name: string;
  input: string;
  reference: string;
  operation: string;
}

export interface TextSimilarityJson extends OurKeys {
  type: 'text_similarity';
  name: string;
  input: string;
  reference: string;
  evaluation_metric: string;
  pass_threshold?: number;
}

export interface ScoreModelJson extends OurKeys {
  type: 'score_model';
  name: string;
  model: string;
  input: JudgeMessageJson[];
  range?: [number, number];
  pass_threshold?: number;
  sampling_params?: SamplingParamsJson | null;
}

/** Only inside a multi grader, as in OpenAI's API. */
export interface LabelModelJson extends OurKeys {
  type: 'label_model';
  name: string;
  model: string;
  input: JudgeMessageJson[];
  labels: string[];
  passing_labels: string[];
}

export interface ScriptJson extends OurKeys {
  type: 'python' | 'js';
  name: string;
  /** The code inline, or… */
  source?: string;
  /** …a file relative to the dataset folder, e.g. graders/grade.py. */
  file?: string;
  image_tag?: string;
}

export type LeafGraderJson = StringCheckJson | TextSimilarityJson | ScoreModelJson | LabelModelJson | ScriptJson;

export interface MultiGraderJson extends OurKeys {
  type: 'multi';
  name: string;
  /** Named dimensions; the names are the variables of calculate_output. */
  graders: Record<string, LeafGraderJson>;
  calculate_output: string;
}

export type GraderJson = LeafGraderJson | MultiGraderJson;
export type GraderKind = GraderJson['type'];

/** A preset as the editor offers it: its grader already built (with the judge model of the settings). */
export interface PresetInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** describeGrader(): "LLM judge · gpt-4o-mini · T=0". */
  readonly summary: string;
  /** It calls a judge model (so it needs a provider, and a trusted workspace, to run). */
  readonly needsJudge: boolean;
  readonly grader: GraderJson;
}

/**
 * One record of Test Sample: the core's row with its grade flattened for the table (reward, sub-rewards, the judges'
 * steps, the errors). Prompt, answer, steps and error messages are untrusted: text only.
 */
export interface TestSampleRow extends Pick<GradedRow, 'file' | 'line' | 'prompt' | 'answer' | 'answerSource'> {
  readonly reward: number;
  readonly subRewards: Readonly<Record<string, number>>;
  readonly steps: readonly { readonly grader: string; readonly description: string; readonly conclusion: string }[];
  readonly label?: string;
  readonly errors: readonly { readonly grader: string; readonly code: string; readonly message: string }[];
}

export type ScoreGroup = ScoreSummary;

/** selfCheck(): reference answers against controls that should score low; the panel leaves out the other-record AUC, the errors and the records left out. */
export type SelfCheckView = Pick<SelfCheckReport, 'references' | 'controls' | 'auc' | 'verdict' | 'findings'>;

/** Host → webview. */
export type HostMessage =
  | {
      readonly type: 'grader';
      readonly dataset: string;
      /** The dataset's folder: the webview keeps it as GraderViewState.dataset, from which the panel serializer restores the panel. */
      readonly datasetDir: string;
      /** grader.json as on disk, when it is there and valid. */
      readonly grader?: GraderJson;
      /** Why grader.json could not be read, located ("grader.json: graders.quality.range: expected [min, max]"). */
      readonly loadError?: string;
      readonly summary?: string;
      readonly presets: readonly PresetInfo[];
      readonly variables: readonly TemplateVariable[];
      readonly metrics: readonly string[];
      readonly operations: readonly string[];
      /** The judge model new judges start with (rftStudio.provider.chatModel). */
      readonly defaultModel: string;
      /** vscode.workspace.isTrusted: judges and script graders run only when true. */
      readonly trusted: boolean;
      /** Who answers Test Sample prompts when "base model" is chosen; absent when no provider is configured. */
      readonly baseModel?: string;
    }
  | {
      readonly type: 'compiled';
      /** The seq of the compile request this answers (older answers are dropped). */
      readonly seq: number;
      /** The draft passes grader.json's schema and checks (it can be saved). */
      readonly valid: boolean;
      /** When not valid: the located reason. */
      readonly error?: string;
      readonly summary?: string;
      /** The grader as OpenAI's / Azure's fine-tuning API takes it (file references inlined). */
      readonly openai?: unknown;
      /** What does not compile for OpenAI, and where. */
      readonly problems: readonly CompileProblem[];
    }
  | { readonly type: 'saved'; readonly grader: GraderJson; readonly summary: string }
  | { readonly type: 'testResults'; readonly rows: readonly TestSampleRow[]; readonly mean: number }
  | { readonly type: 'selfCheck'; readonly report: SelfCheckView }
  /** `run`: a Test Sample or Self-check started (its earlier results are cleared). */
  | { readonly type: 'busy'; readonly message: string; readonly cancellable?: boolean; readonly run?: 'testSample' | 'selfCheck' }
  | { readonly type: 'error'; readonly message: string };

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'compile'; readonly seq: number; readonly grader: GraderJson }
  | { readonly type: 'save'; readonly grader: GraderJson }
  /** Replace grader.json with a preset (and its script files), after the host asked the user if one exists. */
  | { readonly type: 'usePreset'; readonly preset: string }
  /** Open graders/<name>.js|.py beside the editor; created from a template (or this inline source) when missing. */
  | { readonly type: 'openScript'; readonly kind: 'js' | 'python'; readonly file: string; readonly source?: string }
  | { readonly type: 'openGraderFile' }
  /** Test Sample on the grader as edited (`grader`, not saved yet), or on grader.json when absent. */
  | { readonly type: 'testSample'; readonly from: AnswerSource; readonly typed?: string; readonly grader?: GraderJson }
  | { readonly type: 'selfCheck'; readonly grader?: GraderJson }
  | { readonly type: 'cancel' }
  | { readonly type: 'openRecord'; readonly file: string; readonly line: number };

/** What the webview keeps with getState/setState (and the panel serializer restores). */
export interface GraderViewState {
  /** The dataset's folder (the grader message's datasetDir). */
  readonly dataset: string;
  /** Unsaved edits, and the saved grader they started from (JSON), so a reload keeps them. */
  readonly draft?: GraderJson;
  readonly baseline?: string;
  readonly from?: AnswerSource;
  readonly typed?: string;
}

export const HOST_MESSAGE_TYPES: readonly HostMessage['type'][] = ['grader', 'compiled', 'saved', 'testResults', 'selfCheck', 'busy', 'error'];

export const isHostMessage = messageGuard<HostMessage>(HOST_MESSAGE_TYPES);

/** Kinds that call a model or run a script: they do not run in an untrusted workspace. */
export function needsTrust(grader: GraderJson | undefined): boolean {
  if (!grader) return false;
  const leaves = grader.type === 'multi' ? Object.values(grader.graders) : [grader];
  return leaves.some((leaf) => leaf.type === 'score_model' || leaf.type === 'label_model' || leaf.type === 'python' || leaf.type === 'js');
}

export function needsJudge(grader: GraderJson | undefined): boolean {
  if (!grader) return false;
  const leaves = grader.type === 'multi' ? Object.values(grader.graders) : [grader];
  return leaves.some((leaf) => leaf.type === 'score_model' || leaf.type === 'label_model');
}
