import type { Grader, LeafGrader } from './graderSchema';

/** One line for the tree and the editor, as the spec's canvas shows it: "LLM judge · gpt-4o-mini · T=0". */
export function describeGrader(grader: Grader): string {
  const preset = grader.preset ? ` · preset ${grader.preset}` : '';
  if (grader.type === 'multi') {
    const parts = Object.values(grader.graders).map(kindLabel);
    return `Multi (${Object.keys(grader.graders).length}): ${[...new Set(parts)].join(' + ')}${preset}`;
  }
  return `${describeLeaf(grader)}${preset}`;
}

function describeLeaf(grader: LeafGrader): string {
  switch (grader.type) {
    case 'score_model': {
      const temperature = grader.sampling_params?.temperature;
      return `LLM judge · ${grader.model}${temperature != null ? ` · T=${temperature}` : ''}`;
    }
    case 'label_model':
      return `Label judge · ${grader.model}`;
    case 'string_check':
      return `String check · ${grader.operation}`;
    case 'text_similarity':
      return `Text similarity · ${grader.evaluation_metric}`;
    case 'python':
      return 'Script (Python)';
    case 'js':
      return 'Script (JavaScript)';
  }
}

function kindLabel(grader: LeafGrader): string {
  return grader.type === 'score_model' || grader.type === 'label_model' ? `judge ${grader.model}` : grader.type === 'python' ? 'Python' : grader.type === 'js' ? 'JavaScript' : grader.type;
}
