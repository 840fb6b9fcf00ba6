import { CODES, type ManifestCode } from '../lib/codes.js';

/**
 * The manifest diagnostics' part of the one code table (src/lib/codes.ts): each
 * code with its severity and meaning. docs/errors.md documents them.
 */
export const DIAGNOSTIC_CODES = CODES.manifest;

export type DiagnosticCode = ManifestCode;
