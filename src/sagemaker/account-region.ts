/**
 * Where the adapter talks to. Region comes from the client's resolved
 * configuration. The account comes from, in order: the `accountId` option
 * (`--account-id`), the account the SDK's credentials carry (AWS_ACCOUNT_ID,
 * SSO, profiles with aws_account_id), STS `GetCallerIdentity` (see
 * caller-identity.ts), and finally the ARN of any lineage entity one List
 * call returns. When none of these knows it, the account is '' and
 * `metadata.account` guards refuse to run.
 */
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListArtifactsCommand, ListContextsCommand } from './sdk.js';
import { LineageError } from '../lib/errors.js';
import { accountOfArn } from './arn.js';
import { callerAccount, type CallerIdentityOptions } from './caller-identity.js';
import type { Sender } from './sender.js';

export async function resolveRegion(client: SageMakerClient): Promise<string> {
  const regionProvider = client.config.region;
  try {
    return typeof regionProvider === 'function' ? await regionProvider() : String(regionProvider);
  } catch (error) {
    throw new LineageError('NO_REGION', 'no AWS region is configured', {
      cause: error,
      hint: 'Pass --region (or set AWS_REGION, or a region in the AWS profile). To try the tool without an AWS account: lineage plan --local examples/lineage.yaml',
    });
  }
}

/** The account as far as it is known; '' until something names it. The first answer wins. */
export interface AccountBook {
  readonly id: string;
  /** Learns the account from a lineage ARN, unless it is known. */
  noteArn(arn: string | undefined): void;
}

export function createAccountBook(given: string | undefined): AccountBook & { know(id: string): void } {
  let id = given ?? '';
  return {
    get id() {
      return id;
    },
    noteArn(arn) {
      if (id === '') id = accountOfArn(arn) ?? '';
    },
    know(account) {
      if (id === '') id = account;
    },
  };
}

/** Fills in the account from the credentials, else from STS, else from one cheap List call, when no option gave it. */
export async function discoverAccount(client: SageMakerClient, sender: Sender, book: AccountBook & { know(id: string): void }, sts: CallerIdentityOptions & { readonly region: string }): Promise<void> {
  if (book.id === '') book.know(await credentialAccount(client));
  if (book.id === '') book.know(await callerAccount(client, sts.region, sts));
  if (book.id !== '') return;
  // One cheap read: any lineage ARN names the account.
  try {
    const page = await sender.send('ListContexts', 'account probe', new ListContextsCommand({ MaxResults: 1 }));
    book.noteArn(page.ContextSummaries?.[0]?.ContextArn);
    if (book.id === '') {
      const artifacts = await sender.send('ListArtifacts', 'account probe', new ListArtifactsCommand({ MaxResults: 1 }));
      book.noteArn(artifacts.ArtifactSummaries?.[0]?.ArtifactArn);
    }
  } catch (error) {
    if (error instanceof LineageError && /Credentials|Unrecognized|InvalidSignature|Expired|AccessDenied|ENDPOINT_UNREACHABLE/.test(error.code)) throw error;
  }
}

async function credentialAccount(client: SageMakerClient): Promise<string> {
  try {
    const provider = client.config.credentials as unknown;
    if (typeof provider !== 'function') return '';
    const credentials = (await (provider as () => Promise<{ accountId?: string }>)()) ?? {};
    return credentials.accountId !== undefined && /^\d{12}$/.test(credentials.accountId) ? credentials.accountId : '';
  } catch (error) {
    throw new LineageError('AWS_CredentialsProviderError', `no AWS credentials could be loaded: ${(error as Error).message}`, {
      cause: error,
      hint: 'Set AWS_PROFILE or pass --profile, or configure credentials (aws configure / aws sso login). To try the tool without an AWS account: lineage plan --local examples/lineage.yaml',
    });
  }
}
