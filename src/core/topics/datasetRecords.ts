import { forEachValidRecord } from '../dataset/validRecords';
import { isPlainObject } from '../validation/recordShape';
import { recordText } from './recordText';

/** A valid record as topics see it: its key, the text it is about, and a topic it names itself (a manual label). */
export interface TopicRecord {
  readonly key: string;
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly ownTopic?: string;
}

export async function readTopicRecords(datasetDir: string, signal?: AbortSignal): Promise<TopicRecord[]> {
  const records: TopicRecord[] = [];
  await forEachValidRecord(
    datasetDir,
    ({ key, record, file, line }) => {
      const metadata = isPlainObject(record.metadata) ? record.metadata : undefined;
      const ownTopic = typeof metadata?.topic === 'string' && metadata.topic.trim() !== '' ? metadata.topic.trim() : undefined;
      records.push({ key, text: recordText(record), file, line, ...(ownTopic ? { ownTopic } : {}) });
    },
    { signal },
  );
  return records;
}
