import 'reflect-metadata';

import type { GraphQLResolveInfo } from 'graphql';
import { Args, Authorized, Ctx, Info, Query, Resolver, UseMiddleware } from 'type-graphql';

import { directResolver } from '../../src/schema';
import { CompanyArgs } from '../../src/sync/sync.args';
import { SyncResolver } from '../../src/sync/sync.resolver';

// Test-only resolvers: they sit in type-graphql's global metadata but are never built into a schema.
@Resolver()
class WithMiddleware {
  @UseMiddleware((_data, next) => next())
  @Query(() => String)
  guarded(@Args(() => CompanyArgs) _args: CompanyArgs, @Ctx() _ctx: unknown, @Info() _info: GraphQLResolveInfo): string {
    return 'guarded';
  }
}

@Resolver()
class WithRoles {
  @Authorized('admin')
  @Query(() => String)
  admin(@Args(() => CompanyArgs) _args: CompanyArgs, @Ctx() _ctx: unknown, @Info() _info: GraphQLResolveInfo): string {
    return 'admin';
  }
}

@Resolver()
class WithOtherParams {
  @Query(() => String)
  partOfContext(@Args(() => CompanyArgs) _args: CompanyArgs, @Ctx('caller') _caller: unknown, @Info() _info: GraphQLResolveInfo): string {
    return 'part';
  }

  @Query(() => String)
  validated(
    @Args(() => CompanyArgs, { validate: true }) _args: CompanyArgs,
    @Ctx() _ctx: unknown,
    @Info() _info: GraphQLResolveInfo,
  ): string {
    return 'validated';
  }

  @Query(() => String)
  plain(@Args(() => CompanyArgs) { companyId }: CompanyArgs, @Ctx() ctx: { prefix: string }, @Info() info: GraphQLResolveInfo): string {
    return `${ctx.prefix}${companyId}:${info.fieldName}`;
  }
}

describe('directResolver (root read fields without type-graphql per-call handler)', () => {
  it('calls the method with the arguments, context and info as graphql-js gives them', () => {
    const resolve = directResolver(WithOtherParams, 'plain');
    const info = { fieldName: 'plain' } as GraphQLResolveInfo;
    expect(resolve(undefined, { companyId: 'c1' }, { prefix: '>' }, info)).toBe('>c1:plain');
  });

  it("accepts the fields the schema serves so (src/schema.ts's DIRECT_QUERIES)", () => {
    expect(() => directResolver(SyncResolver, 'commerceSyncStatus')).not.toThrow();
    expect(() => directResolver(SyncResolver, 'commerceSyncs')).not.toThrow();
  });

  it('refuses a field whose handler would do more: middleware, roles, validation, other parameters, or no such query', () => {
    expect(() => directResolver(WithMiddleware, 'guarded')).toThrow(/cannot be called directly/);
    expect(() => directResolver(WithRoles, 'admin')).toThrow(/cannot be called directly/);
    expect(() => directResolver(WithOtherParams, 'partOfContext')).toThrow(/cannot be called directly/);
    expect(() => directResolver(WithOtherParams, 'validated')).toThrow(/cannot be called directly/);
    expect(() => directResolver(SyncResolver, 'requestSync')).toThrow(/cannot be called directly/);
  });
});
