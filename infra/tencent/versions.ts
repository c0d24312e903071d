/**
 * Reading a function's published versions and its alias (read-only calls: ListVersionByFunction,
 * ListAliases, GetFunction with a Qualifier). Lists are read in full rather than by name lookups, so
 * "no alias yet" is an empty list, not an error code to guess.
 */
import type { GetFunctionResponse } from 'tencentcloud-sdk-nodejs-scf/tencentcloud/services/scf/v20180416/scf_models';
import { ALIAS, releaseOf } from './desired';
import type { ScfClient } from './scf-client';

export interface PublishedVersion {
  /** "1", "2", …; `$LATEST` is not a published version and never listed here. */
  readonly version: string;
  readonly description: string;
  /** The release that published it, from its description; undefined for versions published elsewhere. */
  readonly release: string | undefined;
}

const PAGE = 20;

/** Numbered versions, oldest first. */
export async function readVersions(client: ScfClient, namespace: string, functionName: string): Promise<PublishedVersion[]> {
  const versions: PublishedVersion[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.ListVersionByFunction({ FunctionName: functionName, Namespace: namespace, Offset: offset, Limit: PAGE, Order: 'ASC', OrderBy: 'AddTime' });
    const listed = page.Versions ?? [];
    for (const entry of listed) {
      if (/^\d+$/.test(entry.Version)) versions.push({ version: entry.Version, description: entry.Description ?? '', release: releaseOf(entry.Description) });
    }
    if (listed.length < PAGE) break;
  }
  return versions.sort((a, b) => Number(a.version) - Number(b.version));
}

/** The version the alias points at (possibly `$LATEST` if someone set it so), or undefined without an alias. */
export async function readAlias(client: ScfClient, namespace: string, functionName: string): Promise<string | undefined> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.ListAliases({ FunctionName: functionName, Namespace: namespace, Offset: String(offset), Limit: String(PAGE) });
    const found = (page.Aliases ?? []).find((alias) => alias.Name === ALIAS);
    if (found) return found.FunctionVersion;
    if ((page.Aliases ?? []).length < PAGE) return undefined;
  }
}

/** A published version's frozen code and configuration, as GetFunction reports it. */
export function readVersion(client: ScfClient, namespace: string, functionName: string, version: string): Promise<GetFunctionResponse> {
  return client.GetFunction({ FunctionName: functionName, Namespace: namespace, Qualifier: version });
}

/** The newest published version below `version`, for a rollback. */
export function versionBefore(versions: readonly PublishedVersion[], version: string): PublishedVersion | undefined {
  return versions.filter((candidate) => Number(candidate.version) < Number(version)).at(-1);
}
