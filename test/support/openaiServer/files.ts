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

export class FileStore {
  private items: StoredFile[] = [];

  constructor(private readonly ids: IdGenerator) {}

  add(input: { filename: string; purpose: FilePurpose; content: Buffer | string; createdAt?: number }): OpenAI.FileObject {
    const content = typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content;
    const file: OpenAI.FileObject = {
      id: this.ids.next('file-'),
      object: 'file',
      bytes: content.length,
      created_at: input.createdAt ?? nowSeconds(),
      filename: input.filename,
      purpose: input.purpose as OpenAI.FileObject['purpose'],
      status: 'processed',
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

  delete(id: string): void {
    this.get(id);
    this.items = this.items.filter((item) => item.file.id !== id);
  }

  clear(): void {
    this.items = [];
  }
}

export const fileRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/files',
    handle: ({ body }, { state }) => {
      if (body.kind !== 'form') throw invalidRequest('Uploads must be sent as multipart/form-data.', 'file');
      const upload = body.files.file;
      if (!upload) throw missingParameter('file');
      const purpose = body.fields.purpose;
      if (!purpose) throw missingParameter('purpose');
      if (!UPLOAD_PURPOSES.includes(purpose)) {
        throw invalidValue('purpose', `'${purpose}'. Supported values are: ${UPLOAD_PURPOSES.map((item) => `'${item}'`).join(', ')}.`);
      }
      return json(state.files.add({ filename: upload.filename, purpose: purpose as FilePurpose, content: upload.content }));
    },
  },
  {
    method: 'GET',
    pattern: '/files',
    handle: ({ query }, { state }) => {
      const list = readListQuery(query, { limit: 10000, maxLimit: 10000, order: 'desc' });
      const purpose = query.get('purpose');
      const files = state.files.all().map((item) => item.file).filter((file) => !purpose || file.purpose === purpose);
      return json(paginate(ordered(files, (file) => file.created_at, list.order), list));
    },
  },
  { method: 'GET', pattern: '/files/:id', handle: ({ params }, { state }) => json(state.files.get(params.id).file) },
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
