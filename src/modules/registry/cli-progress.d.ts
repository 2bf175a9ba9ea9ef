// cli-progress ships no types; the few calls the import CLI and benchmark make.
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: Record<string, unknown>, preset?: unknown);
    start(total: number, start: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    setTotal(total: number): void;
    stop(): void;
  }
  export const Presets: Record<string, unknown>;
  const cliProgress: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default cliProgress;
}
