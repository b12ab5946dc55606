import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../http/openapi/openapi-document';

/** What a fuzzer needs to know of one body property: its name, its JSON type when the document says it. */
export type BodyProperty = Readonly<{
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | undefined;
  /** For an array, the type of its items. */
  itemType?: BodyProperty['type'];
}>;

/** A command endpoint as the app's own OpenAPI document describes it. */
export type CommandOperation = Readonly<{
  method: 'POST' | 'PUT' | 'DELETE';
  /** The OpenAPI template, `/contracts/{id}/contacts`. */
  template: string;
  pathParams: readonly string[];
  /** The JSON body's properties, or undefined when the operation takes no body. */
  body: readonly BodyProperty[] | undefined;
  /** Marked @Public(): an empty security requirement. */
  isPublic: boolean;
}>;

type Schema = Readonly<{
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Readonly<Record<string, Schema>>;
  allOf?: readonly Schema[];
}>;

const COMMAND_METHODS = ['post', 'put', 'delete'] as const;

const resolve = (document: OpenAPIObject, schema: Schema | undefined): Schema | undefined => {
  if (schema?.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return document.components?.schemas?.[name];
};

const typeOf = (document: OpenAPIObject, schema: Schema | undefined): BodyProperty['type'] => {
  const resolved = resolve(document, schema?.allOf?.[0] ?? schema);
  if (resolved?.properties !== undefined) return 'object';
  const type = resolved?.type;
  return type === 'string' ||
    type === 'number' ||
    type === 'integer' ||
    type === 'boolean' ||
    type === 'array' ||
    type === 'object'
    ? type
    : undefined;
};

/**
 * Every command endpoint of the app (each post, put and delete operation of its OpenAPI document), so a test
 * that walks them covers endpoints added later without being told.
 */
export const commandOperations = (app: INestApplication): readonly CommandOperation[] => {
  const document = buildOpenApiDocument(app);
  return Object.entries(document.paths).flatMap(([template, item]) =>
    COMMAND_METHODS.flatMap((method): CommandOperation[] => {
      const operation = item[method];
      if (operation === undefined) return [];
      const bodySchema = resolve(
        document,
        (operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.[
          'application/json'
        ]?.schema,
      );
      const body =
        bodySchema === undefined
          ? undefined
          : Object.entries(bodySchema.properties ?? {}).map(([name, schema]) => ({
              name,
              type: typeOf(document, schema),
              itemType: typeOf(document, resolve(document, schema)?.items),
            }));
      return [
        {
          method: method.toUpperCase() as CommandOperation['method'],
          template,
          pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!),
          body,
          isPublic: (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0),
        },
      ];
    }),
  );
};

/** The operation's path with each parameter replaced by a segment given as it goes on the wire. */
export const pathOf = (operation: CommandOperation, segments: Readonly<Record<string, string>>): string =>
  operation.template.replace(/\{([^}]+)\}/g, (_match, name: string) => segments[name] ?? '');
