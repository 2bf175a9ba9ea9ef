// Files: attachments' bytes in a file store (a folder, or S3-compatible storage), keyed by SHA-256.
// This file is the piece's public surface.
export { createFileStore, assertNotServed, FileMissingError, type FileStore } from './store.ts';
export { Attachments, type CaseVisible, type NewAttachment, type SavedAttachment } from './service.ts';
export { fileMigrationSteps, copyContentToStore } from './migrate-content.ts';
export { fileRoutes } from './routes.ts';
