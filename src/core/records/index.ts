// The records of a dataset, every line of records.jsonl and generated.jsonl: the index the records browser and
// `rft records` list and filter, a line's detail, deleting generated records, setting a record's topic.
export { RecordsIndex, StaleIndexError, type IndexedFile } from './recordsIndex';
export { recordDetail } from './recordDetail';
export { deleteGeneratedRecords, type DeleteResult, type LineRef } from './deleteGenerated';
export { setRecordTopic } from './setTopic';
export { RecordsError, type OriginCounts, type RecordOrigin, type RecordRow, type RecordsCounts, type RecordsFilter, type RecordsPage, type RecordStatus } from './recordsTypes';
