/** The answers of the questions as tables, for the text, CSV and Markdown outputs (JSON serialises the answers themselves). */
import type { LiveEntity } from '../sagemaker/port.js';
import type { DataSourceAnswer, FeatureGroupAnswer, ModelAnswer } from './answers.js';
import { categoryLabel, classifyEntity, type EntityCategory } from './classify.js';
import { entityDisplayName } from './lineage-table.js';
import type { ReachedVertex } from './query-lineage.js';
import type { Table } from './render-table.js';

export function featureGroupTable(answers: readonly FeatureGroupAnswer[]): Table {
  return {
    columns: ['Feature Group', 'Feature Group ARN', 'Lineage Entities', 'Depth'],
    rows: answers.map((a) => [a.name, a.featureGroupArn ?? '', a.lineageArns.join('\n'), String(a.depth)]),
  };
}

export function dataSourceTable(answers: readonly DataSourceAnswer[]): Table {
  return {
    columns: ['Data Source', 'Source URI', 'Artifact ARN', 'Depth'],
    rows: answers.map((a) => [a.name ?? '', a.sourceUri ?? '', a.arn, a.atDepthLimit ? `${a.depth} (limit)` : String(a.depth)]),
  };
}

export function modelTable(answers: readonly ModelAnswer[]): Table {
  return {
    columns: ['Model', 'Model Data', 'Model Artifact ARN', 'Endpoints', 'Depth'],
    rows: answers.map((a) => [a.name ?? (a.trainingJob === undefined ? '' : `(trained by ${a.trainingJob})`), a.sourceUri ?? '', a.arn, a.endpoints.map((e) => e.name ?? e.contextArn).join('\n'), String(a.depth)]),
  };
}

/** One row of `lineage query upstream|downstream`: a reached entity, described. */
export interface EntityRow {
  readonly arn: string;
  readonly depth: number;
  readonly category: EntityCategory;
  readonly lineageType?: string;
  readonly type?: string;
  readonly name: string;
  readonly sourceUri?: string;
}

export function entityRows(vertices: readonly ReachedVertex[], described: ReadonlyMap<string, LiveEntity>): EntityRow[] {
  return vertices.map((v) => {
    const entity = described.get(v.arn);
    const type = entity?.type ?? v.type;
    return {
      arn: v.arn,
      depth: v.depth,
      category: classifyEntity({
        arn: v.arn,
        ...(type === undefined ? {} : { type }),
        ...(v.lineageType === undefined ? {} : { lineageType: v.lineageType }),
        ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
      }),
      ...(v.lineageType === undefined ? {} : { lineageType: v.lineageType }),
      ...(type === undefined ? {} : { type }),
      name: entityDisplayName(v.arn, entity),
      ...(entity?.sourceUri === undefined ? {} : { sourceUri: entity.sourceUri }),
    };
  });
}

export function entityTable(rows: readonly EntityRow[]): Table {
  return {
    columns: ['Depth', 'Name', 'Category', 'Lineage Type', 'Type', 'Source URI', 'ARN'],
    rows: rows.map((r) => [String(r.depth), r.name, categoryLabel(r.category), r.lineageType ?? '', r.type ?? '', r.sourceUri ?? '', r.arn]),
  };
}
