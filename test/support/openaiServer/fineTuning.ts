import { fileNotProcessed } from './azure';
import { invalidRequest, invalidType, invalidValue } from './errors';
import type { FileStore } from './files';
import { accessRefused, type FineTuningJobStore, type FineTuningJobView } from './fineTuningJobs';
import { validateGrader, type GraderVendor } from './graderValidation';
import { json } from './http';
import { ordered, paginate, readListQuery } from './pagination';
import type { Route } from './routing';
import { isRecord, jsonBody, matchesMetadata, metadataFilter, optionalInteger, optionalMetadata, optionalObject, optionalString, requiredString, type JsonObject } from './validation';

const METHOD_DEFAULTS: Record<FineTuningJobView['method']['type'], JsonObject> = {
  supervised: { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' },
  dpo: { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto', beta: 'auto' },
  reinforcement: {
    batch_size: 'auto',
    learning_rate_multiplier: 'auto',
    n_epochs: 'auto',
    compute_multiplier: 'auto',
    eval_interval: 'auto',
    eval_samples: 'auto',
    reasoning_effort: 'default',
  },
};

function checkTrainingFile(files: FileStore, id: string, param: string, azure: boolean): void {
  const found = files.all().find((item) => item.file.id === id);
  if (!found) throw invalidRequest(`invalid ${param}: ${id}`, param, 'invalid_file');
  if (found.file.purpose !== 'fine-tune') {
    throw invalidRequest(`File ${id} has purpose '${found.file.purpose}'; files for fine-tuning must be uploaded with purpose 'fine-tune'.`, param, 'invalid_file_purpose');
  }
  if (azure && found.file.status !== 'processed') throw fileNotProcessed(id, found.file.status);
}

/** An organisation that lost self-serve fine-tuning: 403 on the list (when `refused`) and on the create. */
function checkAccess(store: FineTuningJobStore, creating: boolean): void {
  if (store.access === 'refused' || (creating && store.access === 'refusedOnCreate')) throw accessRefused();
}

/** The job's method with the API's defaults filled in; a reinforcement method needs a grader that validates. */
function resolveMethod(body: JsonObject, vendor: GraderVendor): FineTuningJobView['method'] {
  const method = optionalObject(body, 'method') ?? { type: 'supervised' };
  const type = method.type;
  if (type !== 'supervised' && type !== 'dpo' && type !== 'reinforcement') {
    throw invalidValue('method.type', `'${String(type)}'. Supported values are: 'supervised', 'dpo', and 'reinforcement'.`);
  }
  const settings = method[type] ?? {};
  if (!isRecord(settings)) throw invalidType(`method.${type}`, 'an object');
  if (settings.hyperparameters !== undefined && !isRecord(settings.hyperparameters)) throw invalidType(`method.${type}.hyperparameters`, 'an object');
  if (type === 'reinforcement') validateGrader(settings.grader, 'method.reinforcement.grader', { vendor });
  const hyperparameters = { ...METHOD_DEFAULTS[type], ...(settings.hyperparameters as JsonObject | undefined) };
  return { type, [type]: { ...settings, hyperparameters } };
}

export const fineTuningRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/fine_tuning/jobs',
    handle: (request, { state }) => {
      checkAccess(state.fineTuning, true);
      const body = jsonBody(request);
      const model = requiredString(body, 'model');
      const trainingFile = requiredString(body, 'training_file');
      checkTrainingFile(state.files, trainingFile, 'training_file', request.azure === true);
      const validationFile = optionalString(body, 'validation_file') ?? null;
      if (validationFile) checkTrainingFile(state.files, validationFile, 'validation_file', request.azure === true);
      const suffix = optionalString(body, 'suffix') ?? null;
      if (suffix !== null && suffix.length > 64) throw invalidValue('suffix', 'the suffix can be at most 64 characters long.');
      const hyperparameters = optionalObject(body, 'hyperparameters') ?? {};
      const job = state.fineTuning.create({
        model,
        trainingFile,
        validationFile,
        suffix,
        seed: optionalInteger(body, 'seed') ?? 42,
        metadata: optionalMetadata(body),
        method: resolveMethod(body, request.azure ? 'azure' : 'openai'),
        hyperparameters: { ...METHOD_DEFAULTS.supervised, ...hyperparameters },
      });
      return json(job);
    },
  },
  {
    method: 'GET',
    pattern: '/fine_tuning/jobs',
    handle: ({ query }, { state }) => {
      checkAccess(state.fineTuning, false);
      const list = readListQuery(query, { limit: 20, maxLimit: 100, order: 'desc' });
      const filter = metadataFilter(query);
      const jobs = state.fineTuning
        .all()
        .map((record) => record.job)
        .filter((job) => matchesMetadata(job.metadata, filter));
      return json(
        paginate(
          ordered(jobs, (job) => job.created_at, 'desc'),
          list,
        ),
      );
    },
  },
  { method: 'GET', pattern: '/fine_tuning/jobs/:id', handle: ({ params }, { state }) => json(state.fineTuning.advance(params.id)) },
  { method: 'POST', pattern: '/fine_tuning/jobs/:id/cancel', handle: ({ params }, { state }) => json(state.fineTuning.cancel(params.id)) },
  { method: 'POST', pattern: '/fine_tuning/jobs/:id/pause', handle: ({ params }, { state }) => json(state.fineTuning.pause(params.id)) },
  { method: 'POST', pattern: '/fine_tuning/jobs/:id/resume', handle: ({ params }, { state }) => json(state.fineTuning.resume(params.id)) },
  {
    method: 'GET',
    pattern: '/fine_tuning/jobs/:id/events',
    handle: ({ params, query }, { state }) => {
      const list = readListQuery(query, { limit: 20, maxLimit: 100, order: 'desc' });
      const events = state.fineTuning.get(params.id).events;
      return json(
        paginate(
          ordered(events, (event) => event.created_at, 'desc'),
          list,
        ),
      );
    },
  },
  {
    method: 'GET',
    pattern: '/fine_tuning/jobs/:id/checkpoints',
    handle: ({ params, query }, { state }) => {
      const list = readListQuery(query, { limit: 10, maxLimit: 100, order: 'desc' });
      const checkpoints = state.fineTuning.get(params.id).checkpoints;
      return json(
        paginate(
          ordered(checkpoints, (checkpoint) => checkpoint.created_at, 'desc'),
          list,
        ),
      );
    },
  },
];
