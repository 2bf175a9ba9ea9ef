// The built-in case types: each is one definition in its own file. Older versions stay listed so that a
// case keeps the workflow version it started on.
import type { CaseTypeDef } from '../definition.ts';
import { hotline, hotlineV1, hotlineV2, hotlineV3, hotlineV4 } from './hotline.ts';
import { gridEvent, gridEventV1, gridEventV2 } from './grid-event.ts';
import { urban, urbanV1 } from './urban.ts';

export const builtinCaseTypes: CaseTypeDef[] = [hotlineV1, hotlineV2, hotlineV3, hotlineV4, hotline, gridEventV1, gridEventV2, gridEvent, urbanV1, urban];
