// autocannon ships no type declarations; the benchmarks use it through bench/lib.ts only.
declare module 'autocannon' {
  const autocannon: (opts: Record<string, unknown>, cb?: (err: Error | null, result: any) => void) => any;
  export default autocannon;
}
