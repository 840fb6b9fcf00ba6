import { LineageError } from '../lib/errors.js';
import type { CliIo } from './io.js';

/**
 * Asks for confirmation like Terraform: only "yes" proceeds. Without a terminal
 * and without --auto-approve, refuses rather than hang or guess.
 */
export async function confirm(io: CliIo, options: { readonly autoApprove: boolean; readonly question: string; readonly what: string; readonly flag?: string }): Promise<boolean> {
  if (options.autoApprove) return true;
  const flag = options.flag ?? '--auto-approve';
  if (!io.stdinIsTTY) {
    throw new LineageError('CONFIRMATION_REQUIRED', `refusing to ${options.what} without confirmation: there is no terminal to ask on`, {
      hint: `Review the plan above, then run again with ${flag} (in CI: plan on pull requests, apply with ${flag} on merge).`,
    });
  }
  const answer = await io.prompt(`\n${options.question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
  return answer.trim() === 'yes';
}
