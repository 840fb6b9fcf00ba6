import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddAssociationCommand, CreateArtifactCommand, CreateContextCommand, DescribeArtifactCommand, DescribeContextCommand,
  ListArtifactsCommand, ListAssociationsCommand, ListContextsCommand, SageMakerClient, UpdateContextCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestService } from '../helpers/service.js';
import { startServeProcess, type ServeProcess } from './serve-process.js';

interface Server { process: ServeProcess; client: SageMakerClient }

async function startServer(dataDir: string): Promise<Server> {
  const served = await startServeProcess(['--data', dataDir]);
  const client = new SageMakerClient({ endpoint: served.endpoint, region: 'us-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  return { process: served, client };
}

async function kill(server: Server): Promise<void> {
  await server.process.kill();
}

async function allPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await fetchPage(token);
    all.push(...items);
    token = next;
  } while (token !== undefined);
  return all;
}

const test = suite('local service: durability');

test('every acknowledged write survives SIGKILL mid-writes, and the restart is consistent', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-durable-'));
  const acknowledged = { contexts: new Set<string>(), artifacts: new Set<string>(), associations: new Set<string>(), updates: new Map<string, string>() };
  try {
    for (let round = 0; round < 3; round += 1) {
      const server = await startServer(dataDir);
      let stop = false;
      const worker = async (id: number): Promise<void> => {
        for (let n = 0; !stop; n += 1) {
          try {
            const name = `r${round}-w${id}-${n}`;
            const { ContextArn } = await server.client.send(new CreateContextCommand({ ContextName: name, ContextType: 'T', Source: { SourceUri: 'u' } }));
            acknowledged.contexts.add(ContextArn ?? '');
            const { ArtifactArn } = await server.client.send(new CreateArtifactCommand({ ArtifactType: 'T', Source: { SourceUri: `s3://${name}` } }));
            acknowledged.artifacts.add(ArtifactArn ?? '');
            await server.client.send(new AddAssociationCommand({ SourceArn: ArtifactArn, DestinationArn: ContextArn }));
            acknowledged.associations.add(`${ArtifactArn} ${ContextArn}`);
            await server.client.send(new UpdateContextCommand({ ContextName: name, Description: `v${n}` }));
            acknowledged.updates.set(name, `v${n}`);
          } catch {
            return;
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, id) => worker(id));
      // Kill at a different instant each round, while every worker is mid-flight.
      await new Promise((r) => setTimeout(r, 300 + round * 170));
      await kill(server);
      stop = true;
      await Promise.all(workers);
      server.client.destroy();
    }
    assert.ok(acknowledged.contexts.size > 20, `only ${acknowledged.contexts.size} writes acknowledged`);

    const server = await startServer(dataDir);
    try {
      const client = server.client;
      for (const arn of acknowledged.contexts) await client.send(new DescribeContextCommand({ ContextName: arn }));
      for (const arn of acknowledged.artifacts) await client.send(new DescribeArtifactCommand({ ArtifactArn: arn }));
      for (const [name, description] of acknowledged.updates) {
        const got = await client.send(new DescribeContextCommand({ ContextName: name }));
        // A later, unacknowledged update may also have landed; never an older one.
        assert.ok(Number((got.Description ?? 'v-1').slice(1)) >= Number(description.slice(1)), `${name}: ${got.Description} older than ${description}`);
      }
      const contexts = new Set(await allPages(async (NextToken) => {
        const page = await client.send(new ListContextsCommand({ MaxResults: 100, NextToken }));
        return { items: (page.ContextSummaries ?? []).map((c) => c.ContextArn ?? ''), next: page.NextToken };
      }));
      const artifacts = new Set(await allPages(async (NextToken) => {
        const page = await client.send(new ListArtifactsCommand({ MaxResults: 100, NextToken }));
        return { items: (page.ArtifactSummaries ?? []).map((c) => c.ArtifactArn ?? ''), next: page.NextToken };
      }));
      const associations = await allPages(async (NextToken) => {
        const page = await client.send(new ListAssociationsCommand({ MaxResults: 100, NextToken }));
        return { items: (page.AssociationSummaries ?? []).map((a) => `${a.SourceArn} ${a.DestinationArn}`), next: page.NextToken };
      });
      for (const pair of acknowledged.associations) assert.ok(associations.includes(pair), `lost association ${pair}`);
      for (const pair of associations) {
        const [source, destination] = pair.split(' ');
        assert.ok(artifacts.has(source ?? '') && contexts.has(destination ?? ''), `association to a missing entity: ${pair}`);
      }
    } finally {
      await kill(server);
      server.client.destroy();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a torn last journal line is dropped and the journal compacted on start', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-torn-'));
  try {
    const first = await startTestService({ dataDir });
    await first.client.send(new CreateContextCommand({ ContextName: 'kept', ContextType: 'T', Source: { SourceUri: 'u' } }));
    await first.stop();
    await appendFile(join(dataDir, 'journal.jsonl'), '{"m":[{"op":"putEntity","entity":{"kind":"Context","arn":"arn:aws:sagemaker:us-w');
    const second = await startTestService({ dataDir });
    try {
      assert.is((await second.client.send(new DescribeContextCommand({ ContextName: 'kept' }))).ContextName, 'kept');
      const journal = await readFile(join(dataDir, 'journal.jsonl'), 'utf8');
      assert.ok(journal.endsWith('\n'));
      for (const line of journal.trim().split('\n')) JSON.parse(line);
      await second.client.send(new CreateContextCommand({ ContextName: 'after', ContextType: 'T', Source: { SourceUri: 'u' } }));
    } finally {
      await second.stop();
    }
    const third = await startTestService({ dataDir });
    try {
      const names = (await third.client.send(new ListContextsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }))).ContextSummaries?.map((c) => c.ContextName);
      assert.equal(names, ['after', 'kept']);
    } finally {
      await third.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a restart rewrites the journal only when it holds more than the state: an already compact one is kept as it is', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-compact-'));
  const journal = join(dataDir, 'journal.jsonl');
  try {
    const first = await startTestService({ dataDir });
    await first.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    await first.client.send(new CreateContextCommand({ ContextName: 'b', ContextType: 'T', Source: { SourceUri: 'u' } }));
    await first.client.send(new UpdateContextCommand({ ContextName: 'b', Description: 'changed' }));
    await first.stop();
    const written = await stat(journal);
    // The update superseded b's first put: compaction rewrites the file (a new inode, one line per record).
    await (await startTestService({ dataDir })).stop();
    const compacted = await stat(journal);
    assert.is.not(compacted.ino, written.ino);
    const lines = (await readFile(journal, 'utf8')).trim().split('\n');
    assert.is(lines.length, 3);
    // Nothing to compact now: the same file is kept, byte for byte.
    await (await startTestService({ dataDir })).stop();
    const kept = await stat(journal);
    assert.is(kept.ino, compacted.ino);
    assert.equal((await readFile(journal, 'utf8')).trim().split('\n'), lines);
    const third = await startTestService({ dataDir });
    try {
      assert.is((await third.client.send(new DescribeContextCommand({ ContextName: 'b' }))).Description, 'changed');
      const { DeleteContextCommand } = await import('@aws-sdk/client-sagemaker');
      await third.client.send(new DeleteContextCommand({ ContextName: 'a' }));
    } finally {
      await third.stop();
    }
    // A delete leaves a line the state no longer needs: compacted again.
    await (await startTestService({ dataDir })).stop();
    assert.is.not((await stat(journal)).ino, kept.ino);
    assert.is((await readFile(journal, 'utf8')).trim().split('\n').length, 1);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('deletes, tags and fixtures survive a restart; quotas count the reloaded entities', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-restart-'));
  try {
    const first = await startTestService({ dataDir, quotas: { contexts: 2 }, fixtures: { models: [{ ModelName: 'm', PrimaryContainer: { ModelDataUrl: 's3://m/model.tar.gz' } }] } });
    await first.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    await first.client.send(new CreateContextCommand({ ContextName: 'b', ContextType: 'T', Source: { SourceUri: 'u' } }));
    await first.stop();
    const second = await startTestService({ dataDir, quotas: { contexts: 2 } });
    try {
      const { ListTagsCommand, DeleteContextCommand, DescribeModelCommand } = await import('@aws-sdk/client-sagemaker');
      assert.equal((await second.client.send(new ListTagsCommand({ ResourceArn: 'arn:aws:sagemaker:us-west-2:000000000000:context/a' }))).Tags, [{ Key: 'k', Value: 'v' }]);
      assert.is((await second.client.send(new DescribeModelCommand({ ModelName: 'm' }))).ModelName, 'm');
      try {
        await second.client.send(new CreateContextCommand({ ContextName: 'c', ContextType: 'T', Source: { SourceUri: 'u' } }));
        assert.unreachable('quota not enforced after restart');
      } catch (error) {
        assert.is((error as Error).name, 'ResourceLimitExceeded');
      }
      await second.client.send(new DeleteContextCommand({ ContextName: 'b' }));
    } finally {
      await second.stop();
    }
    const third = await startTestService({ dataDir });
    try {
      const names = (await third.client.send(new ListContextsCommand({}))).ContextSummaries?.map((c) => c.ContextName);
      assert.equal(names, ['a']);
    } finally {
      await third.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a damaged line before the last refuses to start, saying where', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-corrupt-'));
  try {
    const first = await startTestService({ dataDir });
    await first.client.send(new CreateContextCommand({ ContextName: 'a', ContextType: 'T', Source: { SourceUri: 'u' } }));
    await first.stop();
    const journal = join(dataDir, 'journal.jsonl');
    await writeFile(journal, `garbage\n${await readFile(journal, 'utf8')}`);
    try {
      await startTestService({ dataDir });
      assert.unreachable('started on a damaged journal');
    } catch (error) {
      assert.is((error as { code?: string }).code, 'LOCAL_DATA_CORRUPT');
      assert.match((error as Error).message, /journal.jsonl line 1 /);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a second service on the same data directory is refused; the lock is released on stop', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lineage-local-lock-'));
  try {
    const first = await startTestService({ dataDir });
    try {
      await startTestService({ dataDir });
      assert.unreachable('two services opened one data directory');
    } catch (error) {
      assert.match((error as Error).message, /already open in this process|in use by another local service/);
    }
    await first.stop();
    const second = await startTestService({ dataDir });
    await second.stop();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
