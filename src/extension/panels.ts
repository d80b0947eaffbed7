// The open panels of every kind, one registry each (show, refresh, restore after a reload). Ctx owns them; the
// step code creates them when it loads (steps.ts), since each registry builds its panel class.
import { CoveragePanel } from './coverage/coveragePanel';
import { DeployPanel } from './deploy/deployPanel';
import { PlaygroundPanel } from './deploy/playgroundPanel';
import { DryRunPanel } from './dryrun/dryRunPanel';
import { GeneratePanel } from './generate/generatePanel';
import { GraderPanel } from './grader/graderPanel';
import { RecordsPanel } from './records/recordsPanel';
import { TrainPanel } from './train/trainPanel';

export function createPanels() {
  return {
    coverage: CoveragePanel.registry(),
    records: RecordsPanel.registry(),
    generate: GeneratePanel.registry(),
    grader: GraderPanel.registry(),
    dryRun: DryRunPanel.registry(),
    train: TrainPanel.registry(),
    deploy: DeployPanel.registry(),
    playground: PlaygroundPanel.registry(),
  };
}

export type Panels = ReturnType<typeof createPanels>;
