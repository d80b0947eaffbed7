// Files. On the Azure form an upload starts `pending` and moves one state per retrieve (pending → running →
// processed), as Azure's uploads do (test/fixtures/vendor/azure/upload_file.json, get_file.json); OpenAI's are
// `processed` at once.
import type OpenAI from 'openai';
import { invalidRequest, invalidValue, missingParameter, notFound } from './errors';
import { json, raw } from './http';
import { nowSeconds, type IdGenerator } from './ids';
import { ordered, paginate, readListQuery } from './pagination';
import type { Route } from './routing';

export type FilePurpose = OpenAI.FileObject['purpose'] | 'evals';
const UPLOAD_PURPOSES: readonly string[] = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

export interface StoredFile {
  readonly file: OpenAI.FileObject;
  readonly content: Buffer;
}

/** The states an Azure upload passes through, one per retrieve (Azure's v1 reference lists these among its statuses). */
export const AZURE_FILE_STATES = ['pending', 'running', 'processed'] as const;

/** How Azure's processing of uploads goes: on to `processed`, held (`stuck` at running), or ending in `error`. */
export type AzureProcessing = 'advance' | 'stuck' | 'error';

export class FileStore {
  azureProcessing: AzureProcessing = 'advance';
  private items: StoredFile[] = [];

  constructor(private readonly ids: IdGenerator) {}

  add(input: { filename: string; purpose: FilePurpose; content: Buffer | string; createdAt?: number; azure?: boolean }): OpenAI.FileObject {
    const content = typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content;
    const file: OpenAI.FileObject = {
      id: this.ids.next('file-'),
      object: 'file',
      bytes: content.length,
      created_at: input.createdAt ?? nowSeconds(),
      filename: input.filename,
      purpose: input.purpose as OpenAI.FileObject['purpose'],
      status: (input.azure ? AZURE_FILE_STATES[0] : 'processed') as OpenAI.FileObject['status'],
    };
    this.items.push({ file, content });
    return file;
  }

  get(id: string, param = 'id'): StoredFile {
    const found = this.items.find((item) => item.file.id === id);
    if (!found) throw notFound('File', id, param);
    return found;
  }

  all(): readonly StoredFile[] {
    return this.items;
  }

  /** The file as a retrieve sees it: an Azure upload moves one state on (pending → running → processed). */
  retrieve(id: string): OpenAI.FileObject {
    const { file } = this.get(id);
    const at = (AZURE_FILE_STATES as readonly string[]).indexOf(file.status);
    if (at < 0 || at === AZURE_FILE_STATES.length - 1) return file;
    const next = AZURE_FILE_STATES[at + 1];
    if (next === 'processed' && this.azureProcessing === 'stuck') return file;
    if (next === 'processed' && this.azureProcessing === 'error') {
      file.status = 'error';
      file.status_details = 'The file could not be processed (test server wording).';
      return file;
    }
    file.status = next as OpenAI.FileObject['status'];
    return file;
  }

  delete(id: string): void {
    this.get(id);
    this.items = this.items.filter((item) => item.file.id !== id);
  }

  clear(): void {
    this.items = [];
    this.azureProcessing = 'advance';
  }
}

export const fileRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/files',
    handle: ({ body, azure }, { state }) => {
      if (body.kind !== 'form') throw invalidRequest('Uploads must be sent as multipart/form-data.', 'file');
      const upload = body.files.file;
      if (!upload) throw missingParameter('file');
      const purpose = body.fields.purpose;
      if (!purpose) throw missingParameter('purpose');
      if (!UPLOAD_PURPOSES.includes(purpose)) {
        throw invalidValue('purpose', `'${purpose}'. Supported values are: ${UPLOAD_PURPOSES.map((item) => `'${item}'`).join(', ')}.`);
      }
      return json(state.files.add({ filename: upload.filename, purpose: purpose as FilePurpose, content: upload.content, azure }));
    },
  },
  {
    method: 'GET',
    pattern: '/files',
    handle: ({ query }, { state }) => {
      const list = readListQuery(query, { limit: 10000, maxLimit: 10000, order: 'desc' });
      const purpose = query.get('purpose');
      const files = state.files
        .all()
        .map((item) => item.file)
        .filter((file) => !purpose || file.purpose === purpose);
      return json(
        paginate(
          ordered(files, (file) => file.created_at, list.order),
          list,
        ),
      );
    },
  },
  { method: 'GET', pattern: '/files/:id', handle: ({ params }, { state }) => json(state.files.retrieve(params.id)) },
  { method: 'GET', pattern: '/files/:id/content', handle: ({ params }, { state }) => raw(state.files.get(params.id).content) },
  {
    method: 'DELETE',
    pattern: '/files/:id',
    handle: ({ params }, { state }) => {
      state.files.delete(params.id);
      return json({ id: params.id, object: 'file', deleted: true });
    },
  },
];
