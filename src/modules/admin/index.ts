// The administration module's public surface: users, units, the calendar, and the set-up imports
// (units, users, responsibility list) the CLI runs. Categories and the responsibility list themselves
// belong to the case engine; administration edits them through its catalogue functions.
export { adminRoutes } from './routes.ts';
export { adminPolicy } from './service.ts';
export { insertUnits, type UnitSeed } from './units.ts';
export {
  FileProblem, rowReport, runSetupImport, setupKinds, setupTemplate, columnLabel, errorMessage, CATEGORY_SHEET,
  type ImportMode, type Lang, type SetupImportResult, type SetupKind, type TemplateContext,
} from './setup-import.ts';
