import { benignScenarios } from './benign';
import { buildScenarios } from './build';
import { customizationScenarios } from './customization';
import { distributionScenarios } from './distribution';
import { pipelineAndAfterBuildScenarios } from './pipeline-and-after';
import type { Scenario } from './scenario-types';
import { specialScenarios } from './special';
import { submissionScenarios } from './submission';
import { wave2Scenarios } from './wave2';

// Every seeded template. One file per phase keeps each list short enough to review against the guide.

export const ALL_SCENARIOS: readonly Scenario[] = [
  ...submissionScenarios,
  ...buildScenarios,
  ...customizationScenarios,
  ...distributionScenarios,
  ...pipelineAndAfterBuildScenarios,
  ...benignScenarios,
  ...specialScenarios,
  ...wave2Scenarios,
];
