// The part of fontkit the documents' font loader uses (fontkit ships no type declarations).
declare module 'fontkit' {
  export function create(buffer: Buffer, postscriptName?: string): unknown;
}
