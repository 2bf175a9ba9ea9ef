// Shared rules for uploaded files: one file per multipart request, ≤ 10 MB, type sniffed from the bytes.
import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from '../errors.ts';
import { MAX_UPLOAD_BYTES } from './server.ts';
import { truncateCodePoints } from '../text.ts';

/** The type from the bytes, not from what the client claims: JPEG, PNG, WebP or PDF, else null. */
export function sniffMime(b: Buffer): string | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length > 5 && b.toString('ascii', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

/** A filename safe to store and to echo in Content-Disposition. */
export function safeFilename(name: string | undefined): string {
  return truncateCodePoints((name || 'upload').replace(/[\u0000-\u001f/\\]/g, '_'), 200);
}

/** The request body of an upload route, for the OpenAPI document: multipart/form-data with one file. */
export function multipartFileBody(description = 'the file (JPEG, PNG, WebP or PDF, ≤ 10 MB)') {
  return {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string', format: 'binary', description } },
    additionalProperties: false,
  };
}

export interface Upload { content: Buffer; filename: string; mime: string }

/** Reads the single file of a multipart request, or throws the 4xx problem that fits. */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError(415, 'not_multipart', { zh: `请以 multipart/form-data 格式上传文件，字段名为“file”。`, en: 'Send the file as multipart/form-data in a field named "file".' });
  const file = await req.file();
  if (!file) throw badRequest('missing_file', { zh: `请求中没有文件。`, en: 'No file in the request.' });
  const content = await file.toBuffer();
  if (file.file.truncated || content.length > MAX_UPLOAD_BYTES) throw new AppError(413, 'payload_too_large', { zh: `文件不能超过 10 MB。`, en: 'Files are limited to 10 MB.' });
  if (!content.length) throw badRequest('empty_file', { zh: `上传的文件为空，请重新选择文件。`, en: 'The file is empty.' });
  const mime = sniffMime(content);
  if (!mime) throw new AppError(415, 'unsupported_media_type', { zh: `只接受 JPEG、PNG、WebP 图片和 PDF 文档。`, en: 'Only JPEG, PNG, WebP images and PDF documents are accepted.' });
  return { content, filename: safeFilename(file.filename), mime };
}
