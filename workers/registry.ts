/** The queue stages, in the order a mail goes through them (one file per stage). */
import { analyse } from './analyse';
import { ingest } from './ingest';
import { reply } from './reply';
import type { Stage, StageName } from './stage-context';
import { triage } from './triage';

export const STAGES: Readonly<Record<StageName, Stage>> = { ingest, analyse, triage, reply };
