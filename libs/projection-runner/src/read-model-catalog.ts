import {
  IdentifierNode,
  OperationNodeTransformer,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type SchemableIdentifierNode,
  type UnknownRow,
} from 'kysely';
import type { Projection } from './projection';
import type { ReadModelVersionsDatabase } from './read-model-versions';

/** Qualifies each read-model table a query names with the schema of the version it should come from. */
class ActiveSchemaTransformer extends OperationNodeTransformer {
  constructor(private readonly schemaOf: (table: string) => string | undefined) {
    super();
  }

  protected override transformSchemableIdentifier(
    node: SchemableIdentifierNode,
    queryId?: QueryId,
  ): SchemableIdentifierNode {
    const transformed = super.transformSchemableIdentifier(node, queryId);
    if (transformed.schema) return transformed;
    const schema = this.schemaOf(transformed.identifier.name);
    return schema === undefined ? transformed : { ...transformed, schema: IdentifierNode.create(schema) };
  }
}

type ActiveVersion = Readonly<{ version: number; schema: string }>;

/**
 * Which version of each read model queries read, for the processes that serve them. `db` is the connection with
 * every read-model table redirected to its active version's schema, so query functions written against plain
 * table names read a complete version, never one still building. `refresh` reads the registry again: a switch
 * reaches this process on its next refresh, and the version it left keeps serving until then.
 */
export class ReadModelCatalog<DB> {
  readonly db: Kysely<DB>;
  private active = new Map<string, ActiveVersion>();
  private readonly projectionOfTable = new Map<string, string>();

  constructor(
    private readonly base: Kysely<DB>,
    projections: readonly Pick<Projection<DB>, 'name' | 'tables'>[],
  ) {
    for (const projection of projections)
      for (const table of projection.tables ?? []) this.projectionOfTable.set(table, projection.name);
    const transformer = new ActiveSchemaTransformer((table) => {
      const projection = this.projectionOfTable.get(table);
      return projection === undefined ? undefined : this.active.get(projection)?.schema;
    });
    const plugin: KyselyPlugin = {
      transformQuery: (args: PluginTransformQueryArgs): RootOperationNode =>
        transformer.transformNode(args.node, args.queryId),
      transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
        Promise.resolve(args.result),
    };
    this.db = base.withPlugin(plugin);
  }

  /** Reads which version of each projection is active; on failure keeps what it knew. */
  async refresh(): Promise<void> {
    const rows = await (this.base as unknown as Kysely<ReadModelVersionsDatabase>)
      .selectFrom('read_model_versions')
      .select(['name', 'version', 'schema_name'])
      .where('state', '=', 'active')
      .execute();
    this.active = new Map(rows.map((row) => [row.name, { version: row.version, schema: row.schema_name }]));
  }

  /** The version queries read of each projection named, or undefined while one of them has none yet. */
  activeVersions(names: readonly string[]): Readonly<{ name: string; version: number }>[] | undefined {
    const versions: { name: string; version: number }[] = [];
    for (const name of names) {
      const active = this.active.get(name);
      if (!active) return undefined;
      versions.push({ name, version: active.version });
    }
    return versions;
  }
}
