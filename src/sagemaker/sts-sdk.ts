/**
 * The classes the tool uses from @aws-sdk/client-sts, loaded with `require`
 * for the reason given in sdk.ts.
 */
import { createRequire } from 'node:module';
import type * as Sdk from '@aws-sdk/client-sts';

const sdk = createRequire(import.meta.url)('@aws-sdk/client-sts') as typeof Sdk;

export const {
  GetCallerIdentityCommand,
  STSClient,
} = sdk;
