// The playground's host: a validation record or a typed prompt answered by the base and the tuned model side by
// side, streamed, each answer scored by the dataset's grader.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { benchmarkPrompts, readTunedModel, VALID_SPLIT_FILE } from '../../core/deploy';
import { scoreAnswer } from '../../core/dryrun/answering';
import { GRADER_FILE } from '../../core/grader/graderFile';
import { lastUserText } from '../../core/grader/pairs';
import type { ModelClient } from '../../core/llm/modelClient';
import type { Side } from '../../shared/playgroundProtocol';
import type { Ctx } from '../ctx';
import { cannotRunReason, requireTrust } from '../preconditions';
import { clients, defaultBase, engineFor, NO_TUNED, requireTuned } from './deployModels';
import { cut } from './deployView';
import { streamAnswer } from './modelCalls';
import type { PlaygroundHost } from './playgroundPanel';

const PICKER_RECORDS = 200;

export function playgroundHost(ctx: Ctx): PlaygroundHost {
  /** Validation records the playground offers, by key (the last ones read, for `ask`). */
  const pickerRecords = new Map<string, Map<string, Record<string, unknown>>>();

  return {
    load: async (dir) => {
      const tuned = await readTunedModel(dir).catch(() => undefined);
      let records: { key: string; file: string; line: number; topic: string; prompt: string }[] = [];
      let recordsNote: string;
      try {
        const prompts = await benchmarkPrompts(dir, { seed: 1, n: fs.existsSync(path.join(dir, VALID_SPLIT_FILE)) ? undefined : PICKER_RECORDS });
        const chosen = prompts.chosen.slice(0, PICKER_RECORDS);
        pickerRecords.set(dir, new Map(chosen.map((c) => [c.key, prompts.records.get(c.key)!])));
        records = chosen.map((c) => ({ key: c.key, file: c.file, line: c.line, topic: c.topic, prompt: cut(lastUserText(prompts.records.get(c.key)!), 300) }));
        recordsNote =
          prompts.source.kind === 'valid-split'
            ? `${prompts.source.file} (${prompts.chosen.length.toLocaleString('en-US')} records${prompts.chosen.length > PICKER_RECORDS ? `, the first ${PICKER_RECORDS} offered` : ''})`
            : `no ${VALID_SPLIT_FILE} yet: ${records.length} records sampled from the dataset`;
      } catch (error) {
        recordsNote = `No records to pick: ${(error as Error).message}`;
      }
      const reason = cannotRunReason(ctx, 'deploy', dir) ?? (tuned ? undefined : NO_TUNED);
      return {
        dataset: ctx.datasetName(dir),
        datasetDir: dir,
        base: await defaultBase(ctx, dir, tuned),
        ...(tuned ? { tuned: tuned.model } : {}),
        records,
        recordsNote,
        hasGrader: fs.existsSync(path.join(dir, GRADER_FILE)),
        canRun: reason === undefined,
        ...(reason ? { cannotRunReason: reason } : {}),
      };
    },
    ask: async (dir, ask, signal, events) => {
      requireTrust(ctx, 'deploy');
      const tuned = await requireTuned(dir);
      const record = ask.recordKey ? pickerRecords.get(dir)?.get(ask.recordKey) : { messages: [{ role: 'user', content: ask.prompt ?? '' }] };
      if (!record) throw new Error('That record is no longer offered: Refresh the playground.');
      const { client, tunedClient } = await clients(ctx, tuned);
      const { engine, grader } = await engineFor(ctx, dir);
      events.started(lastUserText(record), { base: ask.base, tuned: tuned.model });
      try {
        const side = async (which: Side, answerClient: ModelClient, model: string) => {
          const answer = await streamAnswer(answerClient, record, model, (text) => events.text(which, text), signal);
          const tools = 'sample' in answer && answer.sample.output_tools?.length ? answer.sample.output_tools.map((call) => `${call.function.name}(${call.function.arguments})`).join('\n') : undefined;
          events.answered(which, tools, 'error' in answer ? answer.error : undefined);
          if ('error' in answer) return;
          const scored = await scoreAnswer(engine, grader.resolved, record, answer, signal);
          const steps = Object.entries(scored.details ?? {}).flatMap(([name, detail]) => [
            ...(detail.steps ?? []).map((step) => `${name}: ${step.description}${step.conclusion ? ` → ${step.conclusion}` : ''}`),
            ...(detail.label !== undefined ? [`${name}: label ${detail.label}`] : []),
          ]);
          events.scored(which, scored.score, steps, Object.keys(scored.sub_rewards ?? {}).length > 0 ? scored.sub_rewards : undefined, scored.error ?? undefined);
        };
        await Promise.all([side('base', client, ask.base), side('tuned', tunedClient, tuned.model)]);
      } finally {
        await engine.dispose();
      }
    },
  };
}
