import fs from 'fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';

/** A parameter of an operation, as `src/schema/openapi.yaml` documents it. */
export interface SpecParam {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: {
    type?: string;
    enum?: string[];
    items?: { enum?: string[] };
    minimum?: number;
    maximum?: number;
  };
}

/** One operation of the spec: `GET /entities/{kind}/{namespace}/{name}/dora`. */
export interface SpecRoute {
  key: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  params: SpecParam[];
  hasBody: boolean;
}

const SPEC = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'src/schema/openapi.yaml',
);

/** Every operation of the spec, with its parameters' `$ref`s resolved. */
export function readSpecRoutes(): SpecRoute[] {
  const spec = parse(fs.readFileSync(SPEC, 'utf8'));
  const resolve = (p: any): SpecParam =>
    p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p;
  return Object.entries(spec.paths as Record<string, any>).flatMap(([p, ops]) =>
    Object.entries(ops as Record<string, any>).map(([m, op]) => ({
      key: `${m.toUpperCase()} ${p}`,
      method: m.toUpperCase() as SpecRoute['method'],
      path: p,
      params: (op.parameters ?? []).map(resolve).map((x: any) => ({
        ...x,
        required: !!x.required,
      })),
      hasBody: !!op.requestBody,
    })),
  );
}

/** The spec's `{kind}` as express writes it, `:kind`. */
export const expressPath = (specPath: string) =>
  specPath.replace(/\{(\w+)\}/g, ':$1');
