import { updateLabels } from '../dataset/labels';
import { leafPaths, readTopicsFile } from '../topics/topicsFile';
import type { RecordsIndex } from './recordsIndex';
import { RecordsError, type RecordRow } from './recordsTypes';

/**
 * Sets a record's topic by hand: a manual label (confidence 1), which no automatic categorization replaces. Only
 * leaf paths of topics.json are accepted; a record that names its own metadata.topic keeps it (edit the record).
 * The index takes the new label too, so the list shows it without a rebuild.
 */
export async function setRecordTopic(index: RecordsIndex, file: string, line: number, topic: string): Promise<RecordRow> {
  const row = index.find(file, line);
  if (!row) throw new RecordsError(`${file}:${line} is not a record line of this dataset.`);
  if (row.key === undefined || row.status === 'invalid') throw new RecordsError(`${file}:${line} is invalid; fix it before giving it a topic.`);
  if (row.ownTopic) throw new RecordsError(`${file}:${line} names its own topic (metadata.topic "${row.topic}"), which wins over any label; edit the record to change it.`);
  const topics = await readTopicsFile(index.datasetDir);
  if (!topics) throw new RecordsError('This dataset has no topics yet: generate them first (rft topics, or RFT: Generate Topics).');
  const leaves = leafPaths(topics);
  if (!leaves.includes(topic)) throw new RecordsError(`"${topic}" is not a leaf topic of topics.json (${leaves.slice(0, 8).join(', ')}${leaves.length > 8 ? ', …' : ''}).`);
  const label = { key: row.key, topic, confidence: 1, method: 'manual' as const };
  await updateLabels(index.datasetDir, [label]);
  index.applyLabels(new Map([[row.key, label]]), { only: true });
  return index.find(file, line)!;
}
