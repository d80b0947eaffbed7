import { NoTopicsError } from '../topics/categorize';
import { datasetCoverage } from '../topics/topicsPipeline';
import { NO_TOPICS_MESSAGE } from './generationDataset';
import type { GenerateTarget } from './generateTypes';

/** The coverage gaps as targets (the dashboard's "generate ~N more"), leaves with no gap left out. */
export async function gapTargets(datasetDir: string, signal?: AbortSignal): Promise<GenerateTarget[]> {
  const report = await datasetCoverage(datasetDir, signal);
  if (!report || report.topics.length === 0) throw new NoTopicsError(NO_TOPICS_MESSAGE);
  return report.topics.filter((topic) => topic.gap > 0).map((topic) => ({ topic: topic.path, count: topic.gap }));
}
